// A minimal stand-in for TT-Miner, for this package's end-to-end test only (the full simulator,
// with failure modes, belongs to @rigkit/testkit). It reads the flags the adapter passes, serves
// miner_getstat1 on the -b address (0 H/s on the first answer, like TT-Miner before its first
// share, then the fixture), checks "psw" against --api-password, prints the canonical stdout
// lines and exits on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const args = process.argv.slice(2);
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
if (args[0] === '-v') {
  process.stdout.write('TT-Miner 2024.3.2\n');
  process.exit(0);
}
const [host, port] = (flag('-b') ?? '127.0.0.1:4068').split(':');
const password = flag('--api-password');
const pool = (flag('-P') ?? '').split('@').at(-1);
const fixture = readFileSync(
  new URL('../__fixtures__/ttminer/miner_getstat1.json', import.meta.url),
  'utf8',
).trim();
const zero = JSON.stringify({
  id: 0,
  jsonrpc: '2.0',
  result: [
    'TT-Miner/2024.3.2',
    '0',
    '0;0;0',
    '0;0',
    '0;0;0',
    'off;off',
    '40;30;41;30',
    pool,
    '0;0;0;0',
  ],
});

const stamp = () => new Date().toISOString().slice(11, 23);
const log = (message) => process.stdout.write(`${stamp()} ${message}\n`);

let answered = 0;
const server = createServer((socket) => {
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  let buffered = '';
  socket.on('data', (chunk) => {
    buffered += chunk;
    const nl = buffered.indexOf('\n');
    if (nl === -1) return;
    const request = JSON.parse(buffered.slice(0, nl));
    if (password !== undefined && request.psw !== password) {
      return void socket.end('{"id":0,"jsonrpc":"2.0","error":"Invalid password"}\n');
    }
    socket.end(`${answered++ === 0 ? zero : fixture}\n`);
  });
});
process.stdout.write('TT-Miner 2024.3.2\n');
server.listen(Number(port), host, () => {
  log(`Connected to ${pool}`);
  log(`New job from ${pool} diff 1.07G`);
  log('GPU 0: Share accepted (23 ms)');
  log('GPU 0: 14.68 MH/s, 53°C, fan 90%');
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
