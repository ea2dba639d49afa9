import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AdapterContext, getFreePort, type Logger, silentLogger } from '@rigkit/core';
import type { TtminerSession } from '../adapter/ttminer-session.js';

/** An adapter context like core's, over a fresh temp data dir. */
export interface TestContext {
  ctx: AdapterContext<TtminerSession>;
  dataDir: string;
  /** Ends the run (fires `ctx.signal`). */
  end(): void;
  /** Ends the run and removes the data dir. */
  dispose(): Promise<void>;
}

export async function createTestContext(
  options: { logger?: Logger; port?: number } = {},
): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rigkit-ttminer-test-'));
  const controller = new AbortController();
  const ctx: AdapterContext<TtminerSession> = {
    minerId: 'test-miner',
    logger: options.logger ?? silentLogger,
    dataDir,
    getFreePort:
      options.port === undefined ? () => getFreePort() : async () => options.port as number,
    session: {},
    signal: controller.signal,
  };
  return {
    ctx,
    dataDir,
    end: () => controller.abort(),
    dispose: async () => {
      controller.abort();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
