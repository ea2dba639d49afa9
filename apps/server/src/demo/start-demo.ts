import { xmrigAdapter } from '@rigkit/adapter-xmrig';
import type { CreateMinerBody } from '@rigkit/client';
import type { AnyAdapter } from '@rigkit/core';
import { simXmrigPath, startCryptoNotePool } from '@rigkit/testkit/simulators';

/** The demo rigs: distinct seeds and hashrates so the dashboard shows three different miners. */
const DEMO_RIGS = [
  { id: 'demo-1', name: 'demo rig 1', seed: 1, hashrate: 1200 },
  { id: 'demo-2', name: 'demo rig 2', seed: 2, hashrate: 2500 },
  { id: 'demo-3', name: 'demo rig 3', seed: 3, hashrate: 4100 },
] as const;

/** What `startServer({ demo: true })` runs on top of the normal server. */
export interface Demo {
  /** The xmrig adapter, launching the simulator instead of a real xmrig. */
  adapter: AnyAdapter;
  /** The pool the simulated miners mine against, `host:port`. */
  poolUrl: string;
  miners: CreateMinerBody[];
  close(): Promise<void>;
}

/**
 * A real run of the real code paths where only the hashing is simulated: a CryptoNote pool
 * simulator on a free port, and the xmrig adapter launching `rigkit-sim-xmrig` (xmrig's CLI,
 * stdout, HTTP API and stratum client) for three miners. The simulator is started with an
 * argument array (node + script + args), never through a shell.
 */
export async function startDemo(): Promise<Demo> {
  const pool = await startCryptoNotePool({ difficulty: 2000, jobIntervalMs: 30_000 });
  const simArgs = new Map<string, string[]>(
    DEMO_RIGS.map((rig) => [
      rig.id,
      ['--sim-seed', String(rig.seed), '--sim-hashrate', String(rig.hashrate)],
    ]),
  );
  const base = xmrigAdapter;
  const command = base.command as NonNullable<typeof base.command>;
  const adapter: AnyAdapter = {
    ...base,
    async command(options, ctx) {
      const spec = await command(options, ctx);
      return {
        ...spec,
        file: process.execPath,
        args: [simXmrigPath, ...(simArgs.get(ctx.minerId) ?? []), ...spec.args],
      };
    },
  };
  return {
    adapter,
    poolUrl: pool.url,
    miners: DEMO_RIGS.map((rig) => ({
      id: rig.id,
      kind: 'xmrig',
      name: rig.name,
      autostart: true,
      options: {
        pools: [{ url: pool.url, user: 'demo-wallet', pass: 'x' }],
        hugePages: false,
      },
    })),
    close: () => pool.close(),
  };
}
