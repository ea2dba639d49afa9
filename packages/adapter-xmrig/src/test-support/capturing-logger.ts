export type { CapturingLogger, LogCall } from '@rigkit/testkit';
export { createCapturingLogger, renderForSearch as render } from '@rigkit/testkit';
