// Test support for core's own suites: an in-memory launcher whose "processes" obey the
// RunHandle contract exactly, so lifecycle tests run under fake timers in microseconds.
import { z } from 'zod';
import { defineAdapter } from '../adapter/define-adapter.js';
import type { HealthReport, Sample } from '../adapter/sample.js';
import type { ExitInfo, Launcher, LaunchIO, RunHandle } from '../launch/launcher.js';

export class FakeProcess implements RunHandle {
  static #nextPid = 1000;
  readonly pid = FakeProcess.#nextPid++;
  readonly exited: Promise<ExitInfo>;
  alive = true;
  ignoreSigterm = false;
  stdin: string[] = [];
  #resolve!: (info: ExitInfo) => void;
  #stopping: Promise<ExitInfo> | undefined;

  constructor(
    readonly io: LaunchIO,
    readonly now: () => number,
  ) {
    this.exited = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** The process dies on its own (a crash). */
  crash(code = 1): void {
    this.#exit(code, null);
  }

  print(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    if (this.alive) this.io.onLine(stream, text, false);
  }

  write(data: string): boolean {
    if (!this.alive) return false;
    this.stdin.push(data);
    return true;
  }

  stop({ graceMs }: { graceMs: number }): Promise<ExitInfo> {
    this.#stopping ??= new Promise<ExitInfo>((resolve) => {
      if (!this.alive) return resolve(this.exited);
      if (!this.ignoreSigterm) {
        queueMicrotask(() => this.#exit(null, 'SIGTERM'));
      } else {
        const timer = setTimeout(() => this.#exit(null, 'SIGKILL'), graceMs);
        void this.exited.then(() => clearTimeout(timer));
      }
      resolve(this.exited);
    });
    return this.#stopping;
  }

  #exit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.alive) return;
    this.alive = false;
    this.#resolve({ code, signal, time: this.now() });
  }
}

export class FakeLauncher implements Launcher {
  readonly processes: FakeProcess[] = [];
  /** Makes the next launch fail like a missing binary. */
  failNext = 0;

  constructor(readonly now: () => number = Date.now) {}

  async launch(_spec: unknown, io: LaunchIO): Promise<RunHandle> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' });
    }
    const process = new FakeProcess(io, this.now);
    this.processes.push(process);
    return process;
  }

  live(): FakeProcess[] {
    return this.processes.filter((p) => p.alive);
  }

  last(): FakeProcess {
    const p = this.processes.at(-1);
    if (!p) throw new Error('nothing launched yet');
    return p;
  }
}

/** What the fake adapter's probe does next; tests flip it. */
export interface FakeBehaviour {
  probe: 'ok' | 'hang' | 'unhealthy' | 'not-ready' | 'throw';
  hashrate: number;
  stats: 'ok' | 'hang' | 'garbage';
  /** Counts calls of the adapter's cleanup(). */
  cleanups?: number;
  /** Device temperatures reported by stats(), °C. */
  temperatures?: number[];
  /** Calls of pause()/resume(), when the adapter is made pauseable. */
  pauses?: string[];
}

export function fakeAdapter(
  behaviour: FakeBehaviour,
  now: () => number = Date.now,
  capabilities: { pauseable?: boolean } = {},
) {
  const pausing = capabilities.pauseable
    ? {
        pause: async () => {
          behaviour.pauses = [...(behaviour.pauses ?? []), 'pause'];
        },
        resume: async () => {
          behaviour.pauses = [...(behaviour.pauses ?? []), 'resume'];
        },
      }
    : {};
  return defineAdapter({
    ...pausing,
    apiVersion: 1,
    kind: 'fake',
    meta: { name: 'fake-adapter', version: '1.0.0', core: '>=0.1.0' },
    options: z.object({
      threads: z.number().int().positive().default(1),
      pass: z.string().optional(),
    }),
    command: (options) => ({ file: 'fake-miner', args: ['--threads', String(options.threads)] }),
    probe: (_options, _ctx, signal): Promise<HealthReport> => {
      switch (behaviour.probe) {
        case 'hang':
          return new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(signal.reason)),
          );
        case 'throw':
          return Promise.reject(new Error('connection refused'));
        case 'unhealthy':
          return Promise.resolve({ healthy: false, message: 'api error' });
        case 'not-ready':
          return Promise.resolve({ healthy: false, ready: false });
        default:
          return Promise.resolve({ healthy: true, ready: true, hashrate: behaviour.hashrate });
      }
    },
    stats: (_options, _ctx, signal): Promise<Sample> => {
      if (behaviour.stats === 'hang') {
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      }
      if (behaviour.stats === 'garbage') return Promise.reject(new SyntaxError('Unexpected token'));
      return Promise.resolve({
        time: now(),
        hashrate: behaviour.hashrate,
        shares: { accepted: 3, rejected: 1 },
        ...(behaviour.temperatures
          ? {
              devices: behaviour.temperatures.map((temperatureC, i) => ({
                id: `gpu:${i}`,
                temperatureC,
              })),
            }
          : {}),
      });
    },
    cleanup: async () => {
      behaviour.cleanups = (behaviour.cleanups ?? 0) + 1;
    },
    supervision: { warmupMs: 123_456 },
    parseLine: (line) => {
      if (line === 'boom') throw new Error('parser bug');
      return line.startsWith('accepted') ? { type: 'share.accepted' } : undefined;
    },
  });
}
