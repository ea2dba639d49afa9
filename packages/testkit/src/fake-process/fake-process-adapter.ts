/**
 * The adapter for `rigkit-fake-process`, and the smallest complete example of the adapter
 * contract: an options schema, a `command()` that picks a port at start, a `probe()` and a
 * `stats()` that read the program's HTTP API with core's AbortSignal, and a `parseLine()`.
 * Core does everything else (spawning, process groups, restarts, timeouts, history).
 *
 * @module
 */
import { get as httpGet } from 'node:http';
import { defineAdapter, isRigkitError, RigkitError, type Sample } from '@rigkit/core';
import { z } from 'zod';
import { TESTKIT_VERSION } from '../version.js';
import { fakeProcessPath } from './fake-process-path.js';

const ms = z.number().int().min(0).max(2_147_483_647);

/** Options of a `fake-process` miner: one per `rigkit-fake-process` flag. */
export const fakeProcessOptionsSchema = z.strictObject({
  /** Exit by itself after this many ms (a crash, when `exitCode` is not 0). */
  runForMs: ms.optional(),
  /** Exit code used with `runForMs`. Default 0. */
  exitCode: z.number().int().min(0).max(255).optional(),
  /** Stop answering the HTTP API after this many ms, while staying alive (a hang). */
  hangAfterMs: ms.optional(),
  /** Ignore SIGTERM, so only the SIGKILL after the grace period ends it. */
  ignoreSigterm: z.boolean().optional(),
  /** Print this many numbered lines at start, then `tick <n>` every second. */
  printLines: z.number().int().min(0).max(1_000_000).optional(),
  /** Start a grandchild process in the miner's process group. */
  spawnChild: z.boolean().optional(),
  /** Reported hashrate, H/s. Default 1000. */
  hashrate: z.number().finite().min(0).optional(),
  /** Report hashrate 0 after this many ms (a stall). */
  zeroAfterMs: ms.optional(),
  /** Answer the API with junk and print junk lines, one of them 100 KB long. */
  garbage: z.boolean().optional(),
});

/** Validated options of a `fake-process` miner. */
export type FakeProcessOptions = z.output<typeof fakeProcessOptionsSchema>;

/** What one run of a `fake-process` miner remembers between `command()` and its probes. */
export interface FakeProcessSession {
  /** The HTTP port chosen for this run. */
  port?: number;
}

/** The `rigkit-fake-process` arguments for `options` (without `--http-port`). */
export function fakeProcessArgs(options: FakeProcessOptions): string[] {
  const args: string[] = [];
  const value = (flag: string, v: number | undefined) => {
    if (v !== undefined) args.push(flag, String(v));
  };
  const toggle = (flag: string, on: boolean | undefined) => {
    if (on) args.push(flag);
  };
  value('--run-for', options.runForMs);
  value('--exit-code', options.exitCode);
  value('--hang-after', options.hangAfterMs);
  toggle('--ignore-sigterm', options.ignoreSigterm);
  value('--print-lines', options.printLines);
  toggle('--spawn-child', options.spawnChild);
  value('--hashrate', options.hashrate);
  value('--zero-after', options.zeroAfterMs);
  toggle('--garbage', options.garbage);
  return args;
}

/** Largest health answer read; a bigger one is refused rather than buffered. */
const MAX_BODY_BYTES = 64 * 1024;

const healthBodySchema = z.object({
  ok: z.boolean(),
  hashrate: z.number().finite().min(0),
  uptimeSeconds: z.number().finite().min(0).optional(),
  shares: z
    .object({ accepted: z.number().int().min(0), rejected: z.number().int().min(0) })
    .optional(),
});

type HealthBody = z.output<typeof healthBodySchema>;

/**
 * `GET /health`, bounded and validated. Throws `E_API_UNREACHABLE` when nothing listens and
 * `E_API_RESPONSE` for an answer that is unusable; rejects with the signal's reason on abort.
 *
 * Why `node:http` with `agent: false` rather than the global `fetch`: every run listens on a
 * new port, i.e. a new origin, and the global fetch dispatcher of Node 20 (undici 6) keeps a
 * connection pool per origin forever (nodejs/undici#4223, #4424) — about 20 KB per restart,
 * without bound. A socket of our own per request is closed with the request.
 */
function readHealth(port: number, signal: AbortSignal): Promise<HealthBody> {
  return new Promise<HealthBody>((resolve, reject) => {
    const request = httpGet(
      { host: '127.0.0.1', port, path: '/health', agent: false, signal },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            request.destroy();
            reject(
              new RigkitError(
                'E_API_RESPONSE',
                `fake-process answered more than ${MAX_BODY_BYTES} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(parseHealth(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (signal.aborted) {
        reject(signal.reason ?? error);
      } else if (error.code === 'ECONNREFUSED') {
        reject(
          new RigkitError('E_API_UNREACHABLE', 'the fake-process health API is not reachable', {
            details: { port },
          }),
        );
      } else {
        reject(
          new RigkitError('E_API_RESPONSE', 'the fake-process health request failed', {
            cause: error,
            details: { port, code: error.code },
          }),
        );
      }
    });
  });
}

function parseHealth(status: number, text: string): HealthBody {
  if (status !== 200) {
    throw new RigkitError('E_API_RESPONSE', `fake-process answered HTTP ${status}`, {
      details: { status },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RigkitError(
      'E_API_RESPONSE',
      'fake-process answered with something that is not JSON',
    );
  }
  const parsed = healthBodySchema.safeParse(json);
  if (!parsed.success) {
    throw new RigkitError('E_API_RESPONSE', 'fake-process answered JSON of an unexpected shape', {
      details: { paths: parsed.error.issues.map((issue) => issue.path.join('.')) },
    });
  }
  return parsed.data;
}

function portOf(session: FakeProcessSession): number {
  if (session.port === undefined) {
    throw new RigkitError('E_PROCESS_NOT_RUNNING', 'the fake-process run has no port yet');
  }
  return session.port;
}

/**
 * Supervises `rigkit-fake-process` (see {@link fakeProcessPath}) like a miner: kind
 * `fake-process`, options {@link FakeProcessOptions}.
 *
 * @example
 * ```ts
 * const manager = createManager({ adapters: [fakeProcessAdapter], dataDir });
 * const miner = await manager.create({ kind: 'fake-process', name: 'sim', options: { hashrate: 500 } });
 * await miner.start();
 * console.log(await miner.sample()); // { time, hashrate: 500, shares, devices: [{ id: 'cpu0', … }] }
 * await manager.close();
 * ```
 */
export const fakeProcessAdapter = defineAdapter<FakeProcessOptions, FakeProcessSession>({
  apiVersion: 1,
  kind: 'fake-process',
  meta: { name: '@rigkit/testkit', version: TESTKIT_VERSION, core: '^0.1.0' },
  options: fakeProcessOptionsSchema,

  async command(options, ctx) {
    // Chosen per start, remembered in the session for this run's probes.
    const port = await ctx.getFreePort();
    ctx.session.port = port;
    return {
      file: process.execPath,
      args: [fakeProcessPath, '--http-port', String(port), ...fakeProcessArgs(options)],
    };
  },

  async probe(_options, ctx, signal) {
    if (ctx.session.port === undefined) return { healthy: false, ready: false };
    try {
      const body = await readHealth(ctx.session.port, signal);
      return body.ok
        ? { healthy: true, ready: true, hashrate: body.hashrate }
        : { healthy: false, ready: true, message: 'fake-process reports ok: false' };
    } catch (error) {
      // A timeout or a stop: let core count it (a hang becomes `probe-timeout`).
      if (signal.aborted) throw error;
      // Not listening yet: still starting.
      if (isRigkitError(error) && error.code === 'E_API_UNREACHABLE') {
        return { healthy: false, ready: false, message: error.message };
      }
      // It answers, but with nonsense: up, yet unhealthy.
      return {
        healthy: false,
        ready: true,
        message: isRigkitError(error) ? error.message : 'unusable health answer',
      };
    }
  },

  async stats(_options, ctx, signal): Promise<Sample> {
    const body = await readHealth(portOf(ctx.session), signal);
    return {
      time: Date.now(),
      hashrate: body.hashrate,
      ...(body.uptimeSeconds === undefined ? {} : { uptimeSeconds: body.uptimeSeconds }),
      ...(body.shares === undefined ? {} : { shares: body.shares }),
      devices: [{ id: 'cpu0', name: 'fake CPU', hashrate: body.hashrate }],
    };
  },

  parseLine(line) {
    const tick = /^tick (\d+)$/.exec(line);
    if (tick) return { type: 'tick', level: 'debug', data: { n: Number(tick[1]) } };
    const child = /^child pid (\d+)$/.exec(line);
    if (child) return { type: 'child', level: 'debug', data: { pid: Number(child[1]) } };
    if (line === 'ready') return { type: 'ready', level: 'info' };
    return undefined;
  },
});
