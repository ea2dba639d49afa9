// Fuzz of the live proxy, for both protocols: random bytes, truncated JSON, huge numbers,
// wrong types in every field of every message, 1 MB lines, slowloris, half-open sockets and a
// connect flood, all at once, while honest miners mine through the same proxy. The proxy must
// stay up, the honest miners must lose no share, and once everything is closed the process
// must be back at its resource baseline (and its heap close to where it was).
//
// Seeded: a failure prints its seed; `RIGKIT_FUZZ_SEED=<n>` replays it.
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expectNoLeaks } from '@rigkit/testkit';
import {
  startCryptoNotePool,
  startStratumV1Miner,
  startStratumV1Pool,
} from '@rigkit/testkit/simulators';
import { describe, expect, it } from 'vitest';
import type { ProxyOptionsInput } from '../options/proxy-options.js';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { WAIT_MS } from '../testing/line-client.js';
import { startTestProxy, until } from '../testing/proxy-harness.js';
import { type SeededRandom, seededRandom } from '../testing/seeded-random.js';

const SEED = Number(process.env.RIGKIT_FUZZ_SEED ?? 0x5eed_2026);
const LOGIN_TIMEOUT_MS = 1500;

/** Values that have the wrong type for some field (raw JSON text, so 1e999 is possible). */
const WRONG = [
  'null',
  'true',
  '0',
  '-1',
  '1.5',
  '1e999',
  '-1e999',
  '9'.repeat(300),
  '""',
  `"${'x'.repeat(3000)}"`,
  '"\\u0000\\u001b[31m"',
  '[]',
  '{}',
  '[[[[[[]]]]]]',
  '{"__proto__":{"polluted":1}}',
];

/** A raw socket whose errors are ignored; resolves `closed` when it is gone. */
function raw(port: number): { socket: Socket; closed: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.on('data', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Every leaf path of a JSON value, and the value itself (path []). */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...paths(item, [...prefix, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  }
  return out;
}

const MARK = '"__rigkit_fuzz_value__"';

/** `template` with the value at `path` replaced by raw JSON `replacement` (or removed). */
function mutate(
  template: object,
  path: (string | number)[],
  replacement: string | undefined,
): string {
  if (path.length === 0) return replacement ?? '';
  const copy = structuredClone(template) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = '__rigkit_fuzz_value__';
  return JSON.stringify(copy).replace(MARK, replacement);
}

/** Every mutation of every template: each field set to each wrong value, and removed. */
function mutations(templates: object[], random: SeededRandom): string[] {
  const lines: string[] = [];
  for (const template of templates) {
    for (const path of paths(template)) {
      if (path.length === 0) continue;
      for (const value of WRONG) lines.push(mutate(template, path, value));
      lines.push(mutate(template, path, undefined));
    }
  }
  // Shuffled (seeded) so each connection sees a mix.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
  }
  return lines;
}

interface Dialect {
  /** Lines that log a connection in (sent before mutated lines). */
  login(worker: string): string[];
  /** Templates of every message a miner sends, to be mutated. */
  templates(): object[];
}

const cryptonote: Dialect = {
  login: (worker) => [
    JSON.stringify({
      id: 1,
      jsonrpc: '2.0',
      method: 'login',
      params: { login: worker, pass: 'x' },
    }),
  ],
  templates: () => [
    {
      id: 1,
      jsonrpc: '2.0',
      method: 'login',
      params: { login: 'w', pass: 'x', agent: 'a', rigid: 'r', algo: ['rx/0'] },
    },
    {
      id: 2,
      jsonrpc: '2.0',
      method: 'submit',
      params: { id: 'abc', job_id: 'j1', nonce: '00000000', result: '00'.repeat(32), algo: 'rx/0' },
    },
    { id: 3, jsonrpc: '2.0', method: 'keepalived', params: { id: 'abc' } },
  ],
};

const stratumV1: Dialect = {
  login: (worker) => [
    JSON.stringify({ id: 1, method: 'mining.subscribe', params: ['fuzz/1'] }),
    JSON.stringify({ id: 2, method: 'mining.authorize', params: [worker, 'x'] }),
  ],
  templates: () => [
    { id: 1, method: 'mining.subscribe', params: ['fuzz/1', 'session'] },
    { id: 2, method: 'mining.authorize', params: ['w', 'x'] },
    {
      id: 3,
      method: 'mining.configure',
      params: [
        ['version-rolling'],
        { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
      ],
    },
    { id: 4, method: 'mining.extranonce.subscribe', params: [] },
    {
      id: 5,
      method: 'mining.submit',
      params: ['w', '1', '000000', '504e86ed', 'b2957c02', '00002000'],
    },
    { id: 6, method: 'mining.suggest_difficulty', params: [1] },
  ],
};

function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe.each([
  ['cryptonote', cryptonote],
  ['stratum-v1', stratumV1],
] as const)('fuzz: %s aggregate proxy', (protocol, dialect) => {
  it(`stays up and loses no honest share (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const gc = exposeGc();
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let honestReport = '';

    await expectNoLeaks(
      async () => {
        const pool =
          protocol === 'cryptonote'
            ? await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 300 })
            : await startStratumV1Pool({ difficulty: 2 ** -20, jobIntervalMs: 300 });
        const options: ProxyOptionsInput = {
          protocol,
          mode: 'aggregate',
          pools: [{ url: pool.url, user: 'farm', pass: 'pool-secret' }],
          limits: { loginTimeoutMs: LOGIN_TIMEOUT_MS },
        };
        const { proxy, port, events } = await startTestProxy(options);
        await events.next('proxy.upstream.up');

        // Honest miners, mining through it all.
        let attacking = true;
        const honest: Array<() => Promise<{ submitted: number; accepted: number; other: string }>> =
          [];
        if (protocol === 'cryptonote') {
          for (const name of ['honest-1', 'honest-2']) {
            const miner = await loginCnMiner(port, name);
            let submitted = 0;
            let accepted = 0;
            const replies: unknown[] = [];
            const loop = (async () => {
              // 50 shares/s at most: well under the default message rate.
              while (attacking) {
                submitted++;
                const reply = await miner.submit(submitted);
                if ((reply.result as { status?: string } | null)?.status === 'OK') accepted++;
                else replies.push(reply);
                miner.client.lines.length = 0;
                await new Promise((resolve) => setTimeout(resolve, 20)); // pacing, not sync
              }
            })();
            honest.push(async () => {
              await loop;
              const open = !miner.client.isClosed;
              miner.client.destroy();
              await miner.client.closed;
              return { submitted, accepted, other: `${JSON.stringify(replies)} open=${open}` };
            });
          }
        } else {
          for (const [i, extranonceSubscribe] of [true, false].entries()) {
            const miner = await startStratumV1Miner({
              host: '127.0.0.1',
              port,
              worker: `honest-${i}`,
              hashesPerSecond: 50_000,
              extranonceSubscribe,
              versionRolling: i === 0,
            });
            honest.push(async () => {
              // Nothing in flight: every share it sent has been answered.
              await until(() => {
                const s = miner.stats();
                return s.submitted === s.accepted + s.rejected + s.lost;
              });
              const s = miner.stats();
              miner.close();
              return {
                submitted: s.submitted,
                accepted: s.accepted,
                other: `rejected=${s.rejected} lost=${s.lost} dropped=${s.dropped} connects=${s.connects}`,
              };
            });
            await miner.waitForShares(1, { timeoutMs: WAIT_MS });
          }
        }

        const attacks: Promise<unknown>[] = [];
        const attack = (name: string, run: () => Promise<unknown>) =>
          attacks.push(within(run(), 45_000, name));

        // Random bytes, newlines sprinkled in.
        attack('random bytes', async () => {
          for (let c = 0; c < 40; c++) {
            const { socket, closed } = raw(port);
            const bytes = random.bytes(256 + random.int(4096));
            for (let i = 0; i < bytes.length; i += 64) if (random.next() < 0.3) bytes[i] = 0x0a;
            socket.end(bytes);
            await closed;
          }
        });

        // Valid lines cut short.
        attack('truncated JSON', async () => {
          const lines = [
            ...dialect.login('trunc'),
            ...dialect.templates().map((t) => JSON.stringify(t)),
          ];
          for (let c = 0; c < 40; c++) {
            const { socket, closed } = raw(port);
            const line = random.pick(lines);
            socket.end(`${line.slice(0, 1 + random.int(line.length - 1))}\n`);
            await closed;
          }
        });

        // Wrong types (and huge numbers) in every field, on logged-in connections.
        attack('wrong types', async () => {
          const pending = mutations(dialect.templates(), random);
          let sent = 0;
          while (pending.length > 0) {
            const { socket, closed } = raw(port);
            let open = true;
            void closed.then(() => {
              open = false;
            });
            socket.write(`${dialect.login(`fuzz-${sent}`).join('\n')}\n`);
            // A batch per connection: a bad id closes it, the rate limit may too.
            const batch = pending.splice(0, 50);
            for (const line of batch) {
              if (!open) break;
              socket.write(`${line}\n`);
              sent++;
            }
            socket.end();
            await closed;
          }
          return sent;
        });

        // Lines of 1 MB (the limit is 16 KiB).
        attack('1 MB lines', async () => {
          for (let c = 0; c < 3; c++) {
            const { socket, closed } = raw(port);
            socket.write(`{"id":1,"method":"${'m'.repeat(1024 * 1024)}"}\n`);
            await closed;
          }
        });

        // Slowloris: a login line that never ends, one byte per tick; the login deadline
        // (not refreshed by bytes) must end it long before the line limit would.
        attack('slowloris', async () => {
          const head = (dialect.login('slow')[0] as string).slice(0, 30);
          await Promise.all(
            Array.from({ length: 10 }, async () => {
              const { socket, closed } = raw(port);
              let at = 0;
              const drip = setInterval(() => {
                socket.write(at < head.length ? (head[at] as string) : 'a');
                at++;
              }, 5);
              try {
                await within(closed, LOGIN_TIMEOUT_MS * 10, 'slowloris close');
              } finally {
                clearInterval(drip);
              }
            }),
          );
        });

        // Half-open: log in (or send half a line) and end the write side.
        attack('half-open', async () => {
          for (let c = 0; c < 30; c++) {
            const { socket, closed } = raw(port);
            const login = dialect.login(`half-${c}`).join('\n');
            socket.end(c % 2 === 0 ? `${login}\n` : login.slice(0, login.length >> 1));
            await closed;
          }
        });

        // Connect flood: a few thousand connects and closes.
        attack('connect flood', async () => {
          let next = 0;
          await Promise.all(
            Array.from({ length: 50 }, async () => {
              while (next < 2000) {
                next++;
                const { socket, closed } = raw(port);
                socket.once('connect', () => socket.destroy());
                await closed;
              }
            }),
          );
        });

        await Promise.all(attacks);
        attacking = false;

        // Still up and serving: a new miner logs in.
        expect(proxy.healthy).toBe(true);
        const fresh = await within(
          new Promise<string>((resolve) => {
            const { socket } = raw(port);
            let seen = '';
            socket.setEncoding('utf8');
            socket.on('data', (chunk: string) => {
              seen += chunk;
              if (seen.includes('"result"')) {
                socket.destroy();
                resolve(seen);
              }
            });
            socket.write(`${dialect.login('late')[0]}\n`);
          }),
          WAIT_MS,
          'login after the fuzz',
        );
        expect(fresh).toContain('"error":null');

        const results = [];
        for (const report of honest) results.push(await report());
        honestReport = JSON.stringify(results);
        for (const result of results) {
          expect(result.submitted, honestReport).toBeGreaterThan(0);
          expect(result.accepted, honestReport).toBe(result.submitted);
        }
        if (protocol === 'stratum-v1') {
          for (const result of results)
            expect(result.other).toBe('rejected=0 lost=0 dropped=0 connects=1');
        }
        // The attackers were shown the door by the limits, not by a crash.
        const closed = proxy.stats().closed;
        expect(closed['login-timeout'] ?? 0).toBeGreaterThanOrEqual(10);
        expect(closed['message-too-large'] ?? 0).toBeGreaterThanOrEqual(3);
        expect(closed.protocol ?? 0).toBeGreaterThan(0);

        await proxy.stop();
        await pool.close();
        await until(() => proxy.stats().miners.now === 0);
      },
      { settleMs: 5000 },
    );

    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    // Everything the run made is garbage now; a leak of per-connection state would be tens
    // of megabytes after thousands of connections.
    expect(grown, `heap grew by ${grown} bytes; honest: ${honestReport}`).toBeLessThan(
      16 * 1024 * 1024,
    );
  }, 120_000);
});
