import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { NdjsonSplitter } from '@rigkit/core';
import { type CryptoNotePool, startCryptoNotePool } from './cryptonote-pool.js';
import { type StratumV1Pool, startStratumV1Pool } from './stratum-v1-pool.js';

/** Where {@link poolSimMain} reads commands and writes events. */
export interface PoolSimIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Resolves to stop the pool (the bin wires SIGTERM/SIGINT here). */
  stopSignal?: Promise<unknown>;
}

/** Exit codes of `rigkit-sim-pool`. */
export const POOL_SIM_EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

export const POOL_SIM_USAGE = `Usage: rigkit-sim-pool --protocol cryptonote|stratum-v1 [options]

A pool simulator for tests and benchmarks. Prints {"event":"listening",...} on stdout when ready,
then reads JSON commands, one per line, on stdin:
  {"cmd":"pushJob","clean":true}   new job for every miner; prints {"event":"job","jobId","time"}
  {"cmd":"stats"}                  prints {"event":"stats","stats":{...}}
  {"cmd":"outage"} / {"cmd":"recover"}   stop / resume listening (same port)
  {"cmd":"rejectNext","n":5}       reject the next n valid shares
  {"cmd":"setExtranonce"}          stratum-v1: mining.set_extranonce to subscribed miners
  {"cmd":"setDifficulty","difficulty":0.5}   stratum-v1: mining.set_difficulty to everyone
  {"cmd":"reconnectAll","host":"h","port":1,"waitSeconds":0}   stratum-v1: client.reconnect
  {"cmd":"close"}                  stop and exit
Every other command answers {"event":"ok","cmd":...} or {"event":"error","cmd":...,"message":...}.
Job times are epoch milliseconds. Exits 0 on SIGTERM, SIGINT, end of stdin or "close".

Options:
  --protocol <p>          cryptonote or stratum-v1 (required)
  --host <host>           default 127.0.0.1
  --port <port>           default 0 (a free port; see the listening event)
  --difficulty <n>        share difficulty (stratum-v1 allows fractions, e.g. 0.0000152587890625)
  --job-interval <ms>     a new job this often; 0: only on pushJob (default 30000)
  --vardiff               per-connection vardiff: 20 shares/min, retarget every 5 s,
                          between difficulty/1024 and difficulty*1024
  --max-connections <n>   default 1000
  --extranonce1-size <n>  stratum-v1: bytes (default 4)
  --extranonce2-size <n>  stratum-v1: bytes (default 4)
  --no-verify             stratum-v1: accept shares without checking their SHA-256d
  --nicehash              cryptonote: a nonce byte per connection
  --help                  this text
`;

class UsageError extends Error {}

type Protocol = 'cryptonote' | 'stratum-v1';

interface PoolSimArgs {
  protocol: Protocol;
  host: string;
  port: number;
  difficulty: number | undefined;
  jobIntervalMs: number | undefined;
  vardiff: boolean;
  maxConnections: number | undefined;
  extranonce1Size: number | undefined;
  extranonce2Size: number | undefined;
  verify: boolean;
  nicehash: boolean;
}

function numberArg(
  values: Record<string, unknown>,
  name: string,
  check: (n: number) => boolean,
): number | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (typeof text !== 'string' || text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${name}: bad value "${String(text)}"`);
  }
  return value;
}

/** Parses the command line; throws {@link UsageError} with the message for stderr. */
export function parsePoolSimArgs(argv: readonly string[]): PoolSimArgs | 'help' {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        protocol: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        difficulty: { type: 'string' },
        'job-interval': { type: 'string' },
        vardiff: { type: 'boolean' },
        'max-connections': { type: 'string' },
        'extranonce1-size': { type: 'string' },
        'extranonce2-size': { type: 'string' },
        'no-verify': { type: 'boolean' },
        nicehash: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return 'help';
  const protocol = values.protocol;
  if (protocol !== 'cryptonote' && protocol !== 'stratum-v1') {
    throw new UsageError('--protocol must be cryptonote or stratum-v1');
  }
  const sv1Only = ['extranonce1-size', 'extranonce2-size', 'no-verify'];
  const cryptonoteOnly = ['nicehash'];
  for (const name of protocol === 'cryptonote' ? sv1Only : cryptonoteOnly) {
    if (values[name] !== undefined) throw new UsageError(`--${name} is not for ${protocol}`);
  }
  const integer = (min: number, max: number) => (n: number) =>
    Number.isInteger(n) && n >= min && n <= max;
  return {
    protocol,
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
    port: numberArg(values, 'port', integer(0, 65_535)) ?? 0,
    difficulty: numberArg(values, 'difficulty', (n) => n > 0),
    jobIntervalMs: numberArg(values, 'job-interval', integer(0, 2 ** 31 - 1)),
    vardiff: values.vardiff === true,
    maxConnections: numberArg(values, 'max-connections', integer(1, 1_000_000)),
    extranonce1Size: numberArg(values, 'extranonce1-size', integer(1, 16)),
    extranonce2Size: numberArg(values, 'extranonce2-size', integer(1, 16)),
    verify: values['no-verify'] !== true,
    nicehash: values.nicehash === true,
  };
}

const defined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * `rigkit-sim-pool`: starts a CryptoNote or Stratum V1 pool simulator and drives it from JSON
 * commands on stdin (see {@link POOL_SIM_USAGE}). Resolves with the exit code once it stopped.
 */
export async function poolSimMain(argv: readonly string[], io: PoolSimIo): Promise<number> {
  const print = (event: object) => io.stdout.write(`${JSON.stringify(event)}\n`);
  let args: PoolSimArgs | 'help';
  try {
    args = parsePoolSimArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`rigkit-sim-pool: ${error.message}\nTry 'rigkit-sim-pool --help'.\n`);
    return POOL_SIM_EXIT.USAGE;
  }
  if (args === 'help') {
    io.stdout.write(POOL_SIM_USAGE);
    return POOL_SIM_EXIT.OK;
  }
  const difficulty = args.difficulty ?? (args.protocol === 'cryptonote' ? 5000 : 1);
  const vardiff = args.vardiff
    ? {
        targetSharesPerMinute: 20,
        retargetMs: 5000,
        min: difficulty / 1024,
        max: difficulty * 1024,
      }
    : false;
  const onJob = (job: { jobId: string; time: number }) =>
    print({ event: 'job', jobId: job.jobId, time: job.time });
  let pool: CryptoNotePool | StratumV1Pool;
  try {
    pool =
      args.protocol === 'cryptonote'
        ? await startCryptoNotePool({
            host: args.host,
            port: args.port,
            difficulty,
            vardiff,
            nicehash: args.nicehash,
            onJob,
            ...defined({ jobIntervalMs: args.jobIntervalMs, maxConnections: args.maxConnections }),
          })
        : await startStratumV1Pool({
            host: args.host,
            port: args.port,
            difficulty,
            vardiff,
            verifyShares: args.verify,
            onJob,
            ...defined({
              jobIntervalMs: args.jobIntervalMs,
              maxConnections: args.maxConnections,
              extranonce1Size: args.extranonce1Size,
              extranonce2Size: args.extranonce2Size,
            }),
          });
  } catch (error) {
    io.stderr.write(
      `rigkit-sim-pool: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return POOL_SIM_EXIT.FAILED;
  }
  print({ event: 'listening', protocol: args.protocol, host: args.host, port: pool.port });

  const sv1 = args.protocol === 'stratum-v1' ? (pool as StratumV1Pool) : undefined;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  // Commands run one after another: an outage finishes before the next command starts.
  let queue = Promise.resolve();
  const run = async (line: string): Promise<void> => {
    let command: Record<string, unknown>;
    try {
      command = JSON.parse(line);
    } catch {
      print({ event: 'error', message: 'not JSON' });
      return;
    }
    const cmd = typeof command?.cmd === 'string' ? command.cmd : undefined;
    const ok = (extra: object = {}) => print({ event: 'ok', cmd, ...extra });
    const needSv1 = () => {
      if (!sv1) throw new Error(`${cmd} is only for stratum-v1`);
      return sv1;
    };
    try {
      switch (cmd) {
        case 'pushJob':
          // The job line itself comes from onJob.
          pool.pushJob({ clean: command.clean === true });
          return;
        case 'stats':
          print({ event: 'stats', stats: pool.stats() });
          return;
        case 'outage':
          await pool.outage();
          ok();
          return;
        case 'recover':
          await pool.recover();
          ok({ port: pool.port });
          return;
        case 'rejectNext': {
          const n = command.n;
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error('bad n');
          pool.rejectNext(n);
          ok({ n });
          return;
        }
        case 'setExtranonce':
          ok({ connections: needSv1().setExtranonce() });
          return;
        case 'setDifficulty': {
          const value = command.difficulty;
          if (typeof value !== 'number') throw new Error('bad difficulty');
          ok({ connections: needSv1().setDifficulty(value) });
          return;
        }
        case 'reconnectAll': {
          const target = needSv1();
          ok({
            connections: target.reconnectAll(
              defined({
                host: typeof command.host === 'string' ? command.host : undefined,
                port: typeof command.port === 'number' ? command.port : undefined,
                waitSeconds:
                  typeof command.waitSeconds === 'number' ? command.waitSeconds : undefined,
              }),
            ),
          });
          return;
        }
        case 'close':
          stop();
          return;
        default:
          throw new Error('unknown command');
      }
    } catch (error) {
      print({
        event: 'error',
        cmd,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const splitter = new NdjsonSplitter(
    64 * 1024,
    (line) => {
      if (line.trim() === '') return;
      queue = queue.then(() => run(line));
    },
    () => {
      print({ event: 'error', message: 'command line too long' });
    },
  );
  const onData = (chunk: Buffer | string) =>
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const onEnd = () => {
    splitter.end();
    queue = queue.then(stop);
  };
  io.stdin.on('data', onData);
  io.stdin.on('end', onEnd);
  io.stdin.on('error', onEnd);
  io.stopSignal?.then(stop);

  await stopped;
  io.stdin.off('data', onData);
  io.stdin.off('end', onEnd);
  io.stdin.off('error', onEnd);
  io.stdin.pause();
  await pool.close();
  return POOL_SIM_EXIT.OK;
}
