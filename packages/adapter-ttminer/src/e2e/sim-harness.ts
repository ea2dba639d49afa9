// Shared set-up of the end-to-end tests that run the TT-Miner adapter against
// `rigkit-sim-ttminer` (from @rigkit/testkit) under a real core Manager.
import { createServer, type Server, type Socket } from 'node:net';
import type { SupervisionOptions } from '@rigkit/core';

/** Longest wait for one event on a loaded 2-core machine. */
export const EVENT_TIMEOUT_MS = 15_000;

/** `--sim-*` arguments every simulator wrapper starts with (faults are appended). */
export function simArgs(seed: number, timeScale: number, ...more: string[]): string[] {
  return ['--sim-time-scale', String(timeScale), '--sim-seed', String(seed), ...more];
}

/**
 * Quick supervision for one miner: probes ten times a second, quick restarts without jitter,
 * no stall or drop detection unless a case turns it on. `warmupMs` is left to the caller.
 */
export const FAST_SUPERVISION: Readonly<Partial<SupervisionOptions>> = Object.freeze({
  probeIntervalMs: 100,
  // Generous: a healthy simulator on a loaded machine must not look hung.
  probeTimeoutMs: 2000,
  readyPollMs: 25,
  startTimeoutMs: 10_000,
  unhealthyAfter: 2,
  stallTimeoutMs: 0,
  dropRatio: 0,
  backoffInitialMs: 50,
  backoffMaxMs: 500,
  backoffJitter: 0,
  stopGraceMs: 5000,
});

/**
 * A loopback port nothing listens on (bound, then released): a pool there refuses every
 * connection, so the simulator never gets work and reports 0 H/s.
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The lines of `stratum-v1-examples.jsonl` (testkit's fixture) that a Stratum V1 pool answers.
const SUBSCRIBE_RESULT = [
  [
    ['mining.set_difficulty', 'b4b6693b72a50c7116db18d6497cac52'],
    ['mining.notify', 'ae6812eb4cd7735a302a8a9dd95cf71f'],
  ],
  '08000002',
  4,
];
const NOTIFY = {
  id: null,
  method: 'mining.notify',
  params: [
    'bf',
    '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
    '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008',
    '072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000',
    [],
    '00000002',
    '1c2ac4af',
    '504e86b9',
    false,
  ],
};

/** A tiny Stratum V1 pool on loopback: logs every miner in, sends one job, accepts every share. */
export interface StratumPool {
  /** `127.0.0.1:<port>`. */
  readonly url: string;
  /** Passwords miners sent with `mining.authorize` (to prove a sentinel was really in play). */
  readonly passwords: string[];
  close(): Promise<void>;
}

export async function startStratumPool(difficulty = 1024): Promise<StratumPool> {
  const sockets = new Set<Socket>();
  const passwords: string[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      if (buffer.length > 64 * 1024) socket.destroy();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        let json: { id?: unknown; method?: string; params?: unknown[] } | undefined;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const write = (message: object) => socket.write(`${JSON.stringify(message)}\n`);
        switch (json?.method) {
          case 'mining.subscribe':
            write({ id: json.id, result: SUBSCRIBE_RESULT, error: null });
            break;
          case 'mining.authorize':
            passwords.push(String(json.params?.[1]));
            write({ id: json.id, result: true, error: null });
            write({ id: null, method: 'mining.set_difficulty', params: [difficulty] });
            write(NOTIFY);
            break;
          case 'mining.extranonce.subscribe':
          case 'mining.submit':
            write({ id: json.id, result: true, error: null });
            break;
          default:
            break;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `127.0.0.1:${port}`,
    passwords,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
