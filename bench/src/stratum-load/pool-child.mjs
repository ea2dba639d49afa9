// The pool of the stratum load bench, in a process of its own: testkit's CryptoNote pool
// simulator with on-demand jobs. `pushJob` stamps the push with the cross-process clock just
// before the simulator writes the job, so the bench can measure pool push → last miner.
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { cpuCommands, nowMs, serve } from './ipc.mjs';

/** @type {import('@rigkit/testkit/simulators').CryptoNotePool | undefined} */
let pool;

serve(
  {
    async start(/** @type {{ difficulty?: number, maxConnections?: number }} */ args) {
      pool = await startCryptoNotePool({
        jobIntervalMs: 0,
        difficulty: args.difficulty ?? 5000,
        // Passthrough mode opens one pool connection per miner.
        maxConnections: args.maxConnections ?? 20_000,
      });
      return { port: pool.port };
    },
    pushJob() {
      if (!pool) throw new Error('pool not started');
      const time = nowMs();
      const { jobId } = pool.pushJob();
      return { jobId, time };
    },
    stats() {
      return pool?.stats();
    },
    ...cpuCommands(),
  },
  async () => {
    await pool?.close();
  },
);
