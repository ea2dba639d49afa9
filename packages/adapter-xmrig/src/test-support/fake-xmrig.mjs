// A minimal stand-in for xmrig, for this package's end-to-end test only (the full simulator,
// with failure modes, is `rigkit-sim-xmrig` in @rigkit/testkit). It reads the config file the
// adapter writes, serves /2/summary and /2/backends from the captured fixtures with xmrig's
// token rules, prints xmrig-style lines and honours the stdin keys and SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
if (args[0] === '--version') {
  process.stdout.write('XMRig 6.26.0\n');
  process.exit(0);
}
const config = JSON.parse(readFileSync(args[args.indexOf('--config') + 1], 'utf8'));
const fixture = (name) => readFileSync(new URL(`../__fixtures__/xmrig/${name}`, import.meta.url));
const token = config.http['access-token'];

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 23);
const log = (tag, message) => process.stdout.write(`[${stamp()}]  ${tag.padEnd(8)} ${message}\n`);

const server = createServer((req, res) => {
  const auth = req.headers.authorization;
  const status = auth === undefined ? 401 : auth === `Bearer ${token}` ? 200 : 403;
  if (status !== 200) {
    process.stdout.write(
      `[${stamp()}] 127.0.0.1 ${req.method} ${req.url} ${status} 0 0ms "node"\n`,
    );
    return res.writeHead(status).end(`{"status": ${status}}`);
  }
  const name = {
    '/2/summary': '2_summary_pool_job_mode.json',
    '/2/backends': '2_backends_pool_job_mode.json',
  }[req.url];
  if (!name) return res.writeHead(404).end('{"status": 404}');
  res.writeHead(200, { 'content-type': 'application/json' }).end(fixture(name));
});
server.listen(config.http.port, config.http.host, () => {
  log('net', `use pool ${config.pools[0].url}  127.0.0.1`);
  log('cpu', 'READY threads 1/1 (1) huge pages 0% 0/1 memory 2048 KB (1 ms)');
  log('cpu', 'accepted (1/0) diff 100 (5 ms)');
});

process.stdin.on('data', (chunk) => {
  for (const key of chunk.toString()) {
    if (key === 'p') log('miner', 'paused, press  r  to resume');
    if (key === 'r') log('miner', 'resumed');
    if (key === 'h') log('miner', 'speed 10s/60s/15m 18.07 n/a n/a H/s max 20.25 H/s');
  }
});
process.stdin.on('error', () => {});
process.on('SIGTERM', () => {
  log('signal', 'SIGTERM received, exiting');
  server.close();
  process.exit(0);
});
