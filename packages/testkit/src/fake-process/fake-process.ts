#!/usr/bin/env node
/**
 * `rigkit-fake-process`: a tiny, scriptable stand-in for a miner, used by core's integration
 * tests and by the conformance suite. Every behaviour is chosen by a flag (see {@link USAGE}).
 *
 * Output protocol (stdout, one line each):
 * - `line <i>` × `--print-lines`, then `ready` once initialised (listening, when `--http-port`);
 * - `child pid <pid>` with `--spawn-child` (before `ready`);
 * - `tick <n>` once a second with `--print-lines`;
 * - `exiting` on SIGTERM/SIGINT, `exit <code>` when `--run-for` elapses,
 *   `ignoring SIGTERM` with `--ignore-sigterm`.
 *
 * Kept free of dependencies and work at start-up: Node's own start is most of its cost.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

const USAGE = `usage: rigkit-fake-process [options]

  --run-for <ms>       exit after <ms> with --exit-code (default: run until signalled)
  --exit-code <n>      exit code used by --run-for (0-255, default 0)
  --hang-after <ms>    stop answering the HTTP API after <ms>, but stay alive
  --ignore-sigterm     do not exit on SIGTERM (only SIGKILL ends it)
  --print-lines <n>    print <n> numbered lines on start, then "tick <n>" every second
  --spawn-child        start a grandchild (node -e setInterval) and print "child pid <pid>"
  --http-port <port>   serve GET /health on 127.0.0.1:<port>
  --hashrate <H/s>     hashrate reported by /health (default 1000)
  --zero-after <ms>    report hashrate 0 after <ms>
  --garbage            answer the API with non-JSON junk and print junk lines (one of 100 KB)
  --help               print this text
`;

/** Exit code for a bad command line, as most Unix tools use. */
const EXIT_USAGE = 2;
/** Exit code when the HTTP port cannot be bound. */
const EXIT_LISTEN_FAILED = 3;

interface Config {
  runForMs: number | undefined;
  exitCode: number;
  hangAfterMs: number | undefined;
  ignoreSigterm: boolean;
  printLines: number | undefined;
  spawnChild: boolean;
  httpPort: number | undefined;
  hashrate: number;
  zeroAfterMs: number | undefined;
  garbage: boolean;
}

class UsageError extends Error {}

function parseConfig(argv: string[]): Config | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'run-for': { type: 'string' },
      'exit-code': { type: 'string' },
      'hang-after': { type: 'string' },
      'ignore-sigterm': { type: 'boolean' },
      'print-lines': { type: 'string' },
      'spawn-child': { type: 'boolean' },
      'http-port': { type: 'string' },
      hashrate: { type: 'string' },
      'zero-after': { type: 'string' },
      garbage: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const httpPort = integer(values['http-port'], '--http-port', 1, 65_535);
  const exitCode = integer(values['exit-code'], '--exit-code', 0, 255) ?? 0;
  const hashrateText = values.hashrate;
  let hashrate = 1000;
  if (hashrateText !== undefined) {
    hashrate = Number(hashrateText);
    if (hashrateText.trim() === '' || !Number.isFinite(hashrate) || hashrate < 0) {
      throw new UsageError(`--hashrate must be a finite number ≥ 0, got "${hashrateText}"`);
    }
  }
  return {
    runForMs: integer(values['run-for'], '--run-for'),
    exitCode,
    hangAfterMs: integer(values['hang-after'], '--hang-after'),
    ignoreSigterm: values['ignore-sigterm'] ?? false,
    printLines: integer(values['print-lines'], '--print-lines', 0, 1_000_000),
    spawnChild: values['spawn-child'] ?? false,
    httpPort,
    hashrate,
    zeroAfterMs: integer(values['zero-after'], '--zero-after'),
    garbage: values.garbage ?? false,
  };
}

function integer(
  text: string | undefined,
  flag: string,
  min = 0,
  max = 2_147_483_647,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function print(line: string): void {
  // Pipes are synchronous on Linux, so a line printed right before exit is not lost.
  process.stdout.write(`${line}\n`);
}

/** A line of random bytes without a newline: invalid UTF-8, control characters, NULs. */
function junkLine(bytes: number): Buffer {
  const junk = randomBytes(bytes);
  for (let i = 0; i < junk.length; i++) if (junk[i] === 0x0a) junk[i] = 0x00;
  return Buffer.concat([junk, Buffer.from('\n')]);
}

function main(config: Config): void {
  const startedAt = Date.now();
  const elapsed = () => Date.now() - startedAt;

  // A reader that went away (a manager SIGKILLed) must not kill a miner that keeps mining:
  // drop what cannot be written instead of dying of EPIPE.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  // Keeps the process alive whatever else is configured; never fires in practice.
  setInterval(() => {}, 1 << 30);

  const exitNow = (code: number): never => process.exit(code);
  const onStopSignal = () => {
    if (config.ignoreSigterm) {
      print('ignoring SIGTERM');
      return;
    }
    print('exiting');
    exitNow(0);
  };
  process.on('SIGTERM', onStopSignal);
  process.on('SIGINT', () => {
    print('exiting');
    exitNow(0);
  });

  if (config.runForMs !== undefined) {
    setTimeout(() => {
      print(`exit ${config.exitCode}`);
      exitNow(config.exitCode);
    }, config.runForMs);
  }

  if (config.spawnChild) {
    // Same process group as us (not detached), stdio closed: like a miner's helper process.
    // It is deliberately not stopped when we exit: killing the group is the supervisor's job.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
      stdio: 'ignore',
    });
    child.unref();
    print(`child pid ${child.pid}`);
  }

  for (let i = 1; i <= (config.printLines ?? 0); i++) print(`line ${i}`);

  if (config.garbage) {
    for (let i = 0; i < 5; i++) process.stdout.write(junkLine(randomInt(1, 200)));
    process.stdout.write(junkLine(100 * 1024));
    setInterval(() => process.stdout.write(junkLine(randomInt(1, 500))), 1000);
  }

  if (config.printLines !== undefined) {
    let tick = 0;
    setInterval(() => print(`tick ${++tick}`), 1000);
  }

  const hashrateNow = () =>
    config.zeroAfterMs !== undefined && elapsed() >= config.zeroAfterMs ? 0 : config.hashrate;

  if (config.httpPort === undefined) {
    print('ready');
    return;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (config.hangAfterMs !== undefined && elapsed() >= config.hangAfterMs) {
      return; // hung: the request is read and never answered
    }
    // One request per connection: clients keep no idle sockets to a process about to die.
    res.setHeader('connection', 'close');
    if (config.garbage) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(randomBytes(randomInt(1, 512)));
      return;
    }
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"ok":false,"error":"not found"}');
      return;
    }
    const hashrate = hashrateNow();
    const uptimeSeconds = Math.floor(elapsed() / 1000);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        ok: true,
        hashrate,
        uptimeSeconds,
        shares: { accepted: hashrate > 0 ? uptimeSeconds : 0, rejected: 0 },
      }),
    );
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`fake-process: cannot listen on port ${config.httpPort}: ${error.code}\n`);
    exitNow(EXIT_LISTEN_FAILED);
  });
  server.listen(config.httpPort, '127.0.0.1', () => print('ready'));
}

let config: Config | 'help';
try {
  config = parseConfig(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`rigkit-fake-process: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(EXIT_USAGE);
}
if (config === 'help') {
  process.stdout.write(USAGE);
} else {
  main(config);
}
