import { stratumProxyAdapter } from '@rigkit/adapter-stratum-proxy';
import { xmrigAdapter } from '@rigkit/adapter-xmrig';
import type { CreateMinerBody } from '@rigkit/client';
import { type AnyAdapter, getFreePort } from '@rigkit/core';
import { simXmrigPath, startCryptoNotePool } from '@rigkit/testkit/simulators';

/** The demo rigs: distinct seeds and hashrates so the dashboard shows three different miners. */
const DEMO_RIGS = [
  { id: 'demo-1', name: 'demo rig 1', seed: 1, hashrate: 1200 },
  { id: 'demo-2', name: 'demo rig 2', seed: 2, hashrate: 2500 },
  { id: 'demo-3', name: 'demo rig 3', seed: 3, hashrate: 4100 },
] as const;

/** The id of the demo's stratum proxy miner. */
export const DEMO_PROXY_ID = 'demo-proxy';

/** What `startServer({ demo: true })` runs on top of the normal server. */
export interface Demo {
  /**
   * The adapters the demo miners need: xmrig launching the simulator instead of a real xmrig,
   * and the stratum proxy. They take the place of configured adapters of the same kind.
   */
  adapters: AnyAdapter[];
  /** The pool simulator the proxy connects to, `host:port`. */
  poolUrl: string;
  /** Where the demo proxy listens for the simulated miners, `host:port`. */
  proxyUrl: string;
  /** The proxy first, then the miners that connect through it. */
  miners: CreateMinerBody[];
  close(): Promise<void>;
}

/**
 * A real run of the real code paths where only the hashing is simulated: a CryptoNote pool
 * simulator on a free port, a stratum proxy miner (`demo-proxy`, aggregate mode) in front of
 * it, and the xmrig adapter launching `rigkit-sim-xmrig` (xmrig's CLI, stdout, HTTP API and
 * stratum client) for three miners that mine through the proxy, so the pool sees one
 * connection. The simulator is started with an argument array (node + script + args), never
 * through a shell.
 */
export async function startDemo(): Promise<Demo> {
  const pool = await startCryptoNotePool({ difficulty: 2000, jobIntervalMs: 30_000 });
  let proxyPort: number;
  try {
    // The proxy binds this port when it starts; the miners' options must name it before that.
    proxyPort = await getFreePort('127.0.0.1');
  } catch (error) {
    await pool.close();
    throw error;
  }
  const proxyUrl = `127.0.0.1:${proxyPort}`;
  const simArgs = new Map<string, string[]>(
    DEMO_RIGS.map((rig) => [
      rig.id,
      ['--sim-seed', String(rig.seed), '--sim-hashrate', String(rig.hashrate)],
    ]),
  );
  const base = xmrigAdapter;
  const command = base.command as NonNullable<typeof base.command>;
  const xmrig: AnyAdapter = {
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
  const proxy: CreateMinerBody = {
    id: DEMO_PROXY_ID,
    kind: stratumProxyAdapter.kind,
    name: 'demo stratum proxy',
    autostart: true,
    options: {
      protocol: 'cryptonote',
      mode: 'aggregate',
      listen: { host: '127.0.0.1', port: proxyPort },
      pools: [{ url: pool.url, user: 'demo-wallet', pass: 'x', name: 'pool simulator' }],
    },
  };
  return {
    adapters: [xmrig, stratumProxyAdapter],
    poolUrl: pool.url,
    proxyUrl,
    miners: [
      proxy,
      ...DEMO_RIGS.map(
        (rig): CreateMinerBody => ({
          id: rig.id,
          kind: 'xmrig',
          name: rig.name,
          autostart: true,
          options: {
            // The worker name is what the proxy's stats and events show for this rig.
            pools: [{ url: proxyUrl, user: rig.id, pass: 'x', nicehash: true }],
            hugePages: false,
          },
        }),
      ),
    ],
    close: () => pool.close(),
  };
}
