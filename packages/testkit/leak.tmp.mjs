import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createManager, defineAdapter } from '@rigkit/core';
import { CONFORMANCE_SUPERVISION } from '@rigkit/testkit';
import { z } from 'zod';
import v8 from "node:v8"; import { get as httpGet } from "node:http";

const useFetch = process.argv[2] !== 'nofetch';
const adapter = defineAdapter({
  apiVersion: 1, kind: 'in-process', meta: { name: 'x', version: '0.0.0', core: '*' },
  options: z.strictObject({}),
  runner(_o, ctx) {
    let server;
    return {
      async start() {
        server = createServer((_q, res) => { res.setHeader('connection', 'close'); res.end('{"ok":true,"hashrate":100}'); });
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        ctx.session.port = server.address().port;
      },
      async stop() { server.closeAllConnections(); await new Promise((r) => server.close(r)); },
    };
  },
  async probe(_o, ctx, signal) {
    if (!useFetch) return { healthy: true, hashrate: 100 };
    const t = await new Promise((res, rej) => { const q = httpGet({ host: '127.0.0.1', port: ctx.session.port, path: '/', agent: false, signal }, (r) => { let b=''; r.on('data', c => b+=c); r.on('end', () => res(b)); }); q.on('error', rej); });
    const b = JSON.parse(t);
    return { healthy: b.ok, hashrate: b.hashrate };
  },
});
const heap = async () => { for (let i = 0; i < 10; i++) { gc(); await new Promise(r => setTimeout(r, 10)); } return process.memoryUsage().heapUsed; };
const m = createManager({ adapters: [adapter], dataDir: mkdtempSync('/tmp/rk-'), sampleIntervalMs: 0, monitor: false, supervision: CONFORMANCE_SUPERVISION });
const miner = await m.create({ kind: 'in-process', name: 'x' });
const run = async (n) => { for (let i = 0; i < n; i++) { await miner.start(); await miner.stop(); } };
await run(50);
const h0 = await heap();
if (process.argv[3]) v8.writeHeapSnapshot('/tmp/leak/a.heapsnapshot');
await run(Number(process.argv[4] ?? 1000));
const h1 = await heap();
if (process.argv[3]) v8.writeHeapSnapshot('/tmp/leak/b.heapsnapshot');
console.log(useFetch ? 'fetch' : 'nofetch', 'growth MB', ((h1 - h0) / 1048576).toFixed(2));
await m.close();
