export type { LeakCheckOptions } from './leaks/expect-no-leaks.js';
export { expectNoLeaks, ResourceLeakError, waitForBaseline } from './leaks/expect-no-leaks.js';
export type { ResourceSnapshot } from './leaks/snapshot-resources.js';
export { diffResources, snapshotResources } from './leaks/snapshot-resources.js';
