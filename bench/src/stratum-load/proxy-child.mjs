// The process under test: the stratum proxy alone (run with --expose-gc), so its RSS is its own.
// Also a "bare" mode, a net.createServer that only holds sockets, as the floor Node itself
// costs per connection. CPU profiles are taken with the inspector around one phase only (the
// share-rate steps), so connection setup does not dilute the share path.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:net';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { StratumProxy } from '@rigkit/adapter-stratum-proxy';
import { cpuCommands, serve } from './ipc.mjs';

/** @type {StratumProxy | undefined} */
let proxy;
/** @type {import('node:net').Server | undefined} */
let bare;
/** @type {Set<import('node:net').Socket>} */
const bareSockets = new Set();
/** @type {Session | undefined} */
let profiler;

/** kB fields of /proc/self/status, in bytes. @param {string} name */
function statusBytes(name) {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(
    readFileSync('/proc/self/status', 'utf8'),
  );
  return match ? Number(match[1]) * 1024 : 0;
}

async function settle() {
  // Several rounds: finalizers and weak callbacks free more on the second pass.
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

serve(
  {
    async start(
      /** @type {{ options: import('@rigkit/adapter-stratum-proxy').ProxyOptionsInput }} */ args,
    ) {
      proxy = new StratumProxy(args.options);
      await proxy.start();
      // The first upstream logs in in the background; miners should find a job waiting.
      const deadline = Date.now() + 10_000;
      while (!proxy.healthy && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (!proxy.healthy) throw new Error('proxy has no upstream after 10 s');
      return { port: proxy.port };
    },
    async startBare() {
      bare = createServer({ noDelay: true }, (socket) => {
        bareSockets.add(socket);
        socket.on('data', ignore);
        socket.on('error', ignore);
        socket.on('close', () => bareSockets.delete(socket));
      });
      await new Promise((resolve) =>
        bare?.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => resolve(null)),
      );
      const address = bare.address();
      return { port: typeof address === 'object' && address ? address.port : 0 };
    },
    async memory(/** @type {{ idleMs?: number } | undefined} */ args) {
      // Steady state of a proxy holding idle miners: once allocation stays low for a few
      // seconds, V8's memory reducer gives back the young generation the login storm grew.
      const idleMs = args?.idleMs ?? 0;
      if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
      await settle();
      const usage = process.memoryUsage();
      /** @type {Record<string, number>} */
      const spaces = {};
      for (const space of getHeapSpaceStatistics()) {
        spaces[space.space_name] = space.physical_space_size;
      }
      return {
        spaces,
        rss: usage.rss,
        rssAnon: statusBytes('RssAnon'),
        heapUsed: usage.heapUsed,
        heapTotal: usage.heapTotal,
        external: usage.external,
        arrayBuffers: usage.arrayBuffers,
        connections: proxy ? proxy.stats().miners.now : bareSockets.size,
      };
    },
    async heapSnapshot(/** @type {{ path: string }} */ args) {
      await settle();
      return { path: writeHeapSnapshot(args.path) };
    },
    stats() {
      if (!proxy) return undefined;
      const stats = proxy.stats();
      return {
        miners: stats.miners,
        upstreams: { active: stats.upstreams.active, total: stats.upstreams.total },
        shares: stats.shares,
        closed: stats.closed,
      };
    },
    ...cpuCommands(),
    async profileStart() {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      // --cpu-prof's default interval: 1 ms.
      await profiler.post('Profiler.setSamplingInterval', { interval: 1000 });
      await profiler.post('Profiler.start');
      return null;
    },
    async profileStop(/** @type {{ path: string }} */ args) {
      if (!profiler) throw new Error('profiler not started');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      writeFileSync(args.path, JSON.stringify(profile));
      return { path: args.path };
    },
  },
  async () => {
    await proxy?.stop();
    for (const socket of bareSockets) socket.destroy();
    bare?.close();
  },
);

function ignore() {}
