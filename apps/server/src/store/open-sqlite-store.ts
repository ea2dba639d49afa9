import type { Logger } from '@rigkit/core';
import { createStorage } from '@rigkit/storage';
import type { ServerStore, StoredMiner } from './server-store.js';

/** Page size used when restoring every miner definition at start. */
const PAGE = 500;
/** No more definitions than a manager can hold are ever read. */
const MAX_MINERS = 10_000;

/**
 * The server's store on `@rigkit/storage` (SQLite by default): miner definitions, batched
 * samples, sessions and events, roll-ups and retention. Storage errors are logged by code only
 * (never values: options hold pool passwords) and never crash the server.
 */
export async function openSqliteStore(
  file: string,
  options: { logger: Logger; sampleIntervalMs: number },
): Promise<ServerStore> {
  const storage = await createStorage({
    file,
    sampleIntervalMs: options.sampleIntervalMs,
    onError: (error) => options.logger.warn({ code: error.code }, 'storage error'),
  });
  return {
    sink: storage,
    async listMiners() {
      const miners: StoredMiner[] = [];
      let after: string | undefined;
      while (miners.length < MAX_MINERS) {
        const page = await storage.listMiners({ limit: PAGE, ...(after ? { after } : {}) });
        for (const m of page) {
          miners.push({
            id: m.id,
            kind: m.kind,
            name: m.name,
            options: m.options,
            autostart: m.autostart,
            supervision: m.supervision,
          });
        }
        if (page.length < PAGE) break;
        after = page.at(-1)?.id;
      }
      return miners;
    },
    async saveMiner(miner) {
      await storage.upsertMiner(miner);
    },
    async deleteMiner(id) {
      await storage.removeMiner(id);
    },
    async history(minerId, from, to, maxPoints) {
      const result = await storage.history(minerId, from, to, { maxPoints });
      return {
        resolution: result.resolution,
        points: result.points.map((p) => ({
          time: p.time,
          hashrate: p.hashrate,
          min: p.min,
          max: p.max,
        })),
      };
    },
    async sessions(minerId, limit, before) {
      const rows = await storage.sessions(minerId, {
        limit,
        ...(before === undefined ? {} : { before }),
      });
      return rows.map((s) => ({
        id: s.id,
        minerId: s.minerId,
        startedAt: s.startedAt,
        endedAt: s.endedAt ?? null,
        exitCode: s.exitCode ?? null,
        signal: s.signal ?? null,
        endReason: s.endReason ?? null,
        restartAttempt: s.restartAttempt,
        sharesAccepted: s.shares.accepted,
        sharesRejected: s.shares.rejected,
        avgHashrate: s.avgHashrate ?? null,
      }));
    },
    async writable() {
      return storage.stats().writable;
    },
    droppedSamples() {
      return storage.stats().samples.dropped;
    },
    close: () => storage.close(),
  };
}
