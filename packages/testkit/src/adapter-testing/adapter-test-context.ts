import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterContext,
  type AdapterEventType,
  getFreePort,
  type Logger,
  silentLogger,
} from '@rigkit/core';

/** An event the adapter emitted through `ctx.emit`. */
export interface AdapterTestEvent {
  type: AdapterEventType;
  payload: unknown;
}

/** An adapter context like the one core builds for a run, over a fresh temp data dir. */
export interface AdapterTestContext<Session extends object> {
  ctx: AdapterContext<Session>;
  dataDir: string;
  /** Every event the adapter emitted through `ctx.emit`, in order. */
  events: AdapterTestEvent[];
  /** Ends the run (fires `ctx.signal`). */
  end(): void;
  /** Ends the run and removes the data dir. */
  dispose(): Promise<void>;
}

/**
 * For unit tests of an adapter's `command()`, `probe()` and `stats()` without a manager:
 * a context with a miner id, a logger, a private temp data dir, a free-port helper (or a fixed
 * port), an empty session and a signal that `end()` fires.
 */
export async function createAdapterTestContext<Session extends object = Record<string, unknown>>(
  options: { logger?: Logger; port?: number; minerId?: string } = {},
): Promise<AdapterTestContext<Session>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rigkit-adapter-test-'));
  const controller = new AbortController();
  const events: AdapterTestEvent[] = [];
  const ctx: AdapterContext<Session> = {
    minerId: options.minerId ?? 'test-miner',
    logger: options.logger ?? silentLogger,
    dataDir,
    getFreePort:
      options.port === undefined ? () => getFreePort() : async () => options.port as number,
    session: {} as Session,
    signal: controller.signal,
    emit: (type, payload) => {
      events.push({ type, payload });
    },
  };
  return {
    ctx,
    events,
    dataDir,
    end: () => controller.abort(),
    dispose: async () => {
      controller.abort();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
