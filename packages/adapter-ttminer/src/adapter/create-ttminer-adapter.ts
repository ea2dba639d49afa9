import { type Adapter, defineAdapter } from '@rigkit/core';
import { buildTtminerCommand } from '../command/build-ttminer-command.js';
import { detectTtminer } from '../detect/detect-ttminer.js';
import { type TtminerOptions, ttminerOptionsSchema } from '../options/ttminer-options.js';
import { parseTtminerLine } from '../stdout/parse-ttminer-line.js';
import { ADAPTER_VERSION } from '../version.js';
import { probeTtminer } from './probe-ttminer.js';
import { readTtminerSample } from './read-ttminer-sample.js';
import type { TtminerSession } from './ttminer-session.js';

/** Host-level settings of {@link createTtminerAdapter} (per-miner settings are options). */
export interface CreateTtminerAdapterOptions {
  /**
   * The executable for miners that do not set `options.binary`, and the one `detect()` looks
   * for: a path or a name on PATH. Default `TT-Miner`. Point it at the simulator from
   * `@rigkit/testkit` to run without a GPU.
   */
  binary?: string;
}

/** The TT-Miner adapter's type. */
export type TtminerAdapter = Adapter<TtminerOptions, TtminerSession>;

/**
 * Some TT-Miner versions report 0 H/s until the first accepted share, and a KawPoW/Ethash
 * DAG has to be built on every GPU first: on a low-difficulty-per-GPU pool the first share
 * can take minutes. Three minutes of warm-up keep core's stall (and drop) checks from
 * restarting a miner that is working but has not been credited yet.
 */
export const TTMINER_WARMUP_MS = 180_000;

/**
 * Creates the TT-Miner adapter. Construction does no I/O.
 *
 * ```ts
 * const manager = createManager({ adapters: [createTtminerAdapter({ binary: '/opt/tt/TT-Miner' })] });
 * ```
 */
export function createTtminerAdapter(config: CreateTtminerAdapterOptions = {}): TtminerAdapter {
  const defaultBinary = config.binary ?? 'TT-Miner';
  return defineAdapter<TtminerOptions, TtminerSession>({
    apiVersion: 1,
    kind: 'ttminer',
    meta: Object.freeze({
      name: '@rigkit/adapter-ttminer',
      version: ADAPTER_VERSION,
      core: '^0.1.0',
    }),
    options: ttminerOptionsSchema,
    supervision: Object.freeze({ warmupMs: TTMINER_WARMUP_MS }),

    command: (options, ctx) => buildTtminerCommand(options, ctx, defaultBinary),
    probe: (_options, ctx, signal) => probeTtminer(ctx, signal),
    stats: (options, ctx, signal) => readTtminerSample(options, ctx, signal),
    parseLine: (line) => parseTtminerLine(line),

    detect: ({ logger, signal }) => detectTtminer({ binary: defaultBinary, logger, signal }),
  });
}

/** The TT-Miner adapter with default settings (binary `TT-Miner` on PATH). */
export const ttminerAdapter: TtminerAdapter = createTtminerAdapter();
