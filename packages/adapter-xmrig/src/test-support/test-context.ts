import type { Logger } from '@rigkit/core';
import { type AdapterTestContext, createAdapterTestContext } from '@rigkit/testkit';
import type { XmrigSession } from '../adapter/xmrig-session.js';

export type TestContext = AdapterTestContext<XmrigSession>;

/** testkit's adapter test context, typed with this adapter's session. */
export function createTestContext(
  options: { logger?: Logger; port?: number } = {},
): Promise<TestContext> {
  return createAdapterTestContext<XmrigSession>(options);
}
