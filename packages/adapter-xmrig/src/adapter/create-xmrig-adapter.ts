import { join } from 'node:path';
import { type Adapter, ConfigInvalidError, defineAdapter, isRigkitError } from '@rigkit/core';
import { buildXmrigCommand, cleanupXmrigRun } from '../command/build-xmrig-command.js';
import { detectXmrig } from '../detect/detect-xmrig.js';
import { installXmrig, type XmrigInstallSource } from '../install/install-xmrig.js';
import { type XmrigOptions, xmrigOptionsSchema } from '../options/xmrig-options.js';
import { parseXmrigLine } from '../stdout/parse-xmrig-line.js';
import { ADAPTER_VERSION } from '../version.js';
import { probeXmrig } from './probe-xmrig.js';
import { readXmrigSample } from './read-xmrig-sample.js';
import type { XmrigSession } from './xmrig-session.js';

/** Host-level settings of {@link createXmrigAdapter} (per-miner settings are options). */
export interface CreateXmrigAdapterOptions {
  /**
   * The executable for miners that do not set `options.binary`, and the one `detect()` looks
   * for: a path or a name on PATH. Default `xmrig`. Point it at `rigkit-sim-xmrig` to run the
   * simulator from `@rigkit/testkit`.
   */
  binary?: string;
  /** Where `install()` puts xmrig. Default `<dataDir>/xmrig`. */
  installDir?: string;
  /** Where `install()` downloads xmrig from; without it `install()` fails with `E_CONFIG_INVALID`. */
  install?: XmrigInstallSource;
}

/** The xmrig adapter's type. */
export type XmrigAdapter = Adapter<XmrigOptions, XmrigSession>;

/** RandomX builds its dataset first, and xmrig has no 10 s hashrate before its first window. */
const WARMUP_MS = 60_000;

/**
 * Creates the xmrig adapter. Construction does no I/O.
 *
 * ```ts
 * const manager = createManager({ adapters: [createXmrigAdapter({ binary: '/opt/xmrig/xmrig' })] });
 * ```
 */
export function createXmrigAdapter(config: CreateXmrigAdapterOptions = {}): XmrigAdapter {
  const defaultBinary = config.binary ?? 'xmrig';
  return defineAdapter<XmrigOptions, XmrigSession>({
    apiVersion: 1,
    kind: 'xmrig',
    meta: Object.freeze({
      name: '@rigkit/adapter-xmrig',
      version: ADAPTER_VERSION,
      core: '^0.1.0',
    }),
    options: xmrigOptionsSchema,
    supervision: Object.freeze({ warmupMs: WARMUP_MS }),

    command: (options, ctx) => buildXmrigCommand(options, ctx, defaultBinary),
    probe: (_options, ctx, signal) => probeXmrig(ctx, signal),
    stats: (options, ctx, signal) => readXmrigSample(options, ctx, signal),
    parseLine: (line) => parseXmrigLine(line),
    cleanup: (_options, ctx) => cleanupXmrigRun(ctx),

    detect: ({ logger, signal }) => detectXmrig({ binary: defaultBinary, logger, signal }),

    async install(ctx, progress) {
      if (config.install === undefined) {
        throw new ConfigInvalidError('xmrig adapter settings', [
          {
            path: 'install',
            message: 'no install source: createXmrigAdapter({ install: { url, sha256 } })',
          },
        ]);
      }
      const installed = await installXmrig({
        ...config.install,
        dir: config.installDir ?? join(ctx.dataDir, 'xmrig'),
        signal: ctx.signal,
        progress,
        logger: ctx.logger,
      });
      try {
        const found = await detectXmrig({
          binary: installed.binary,
          logger: ctx.logger,
          signal: ctx.signal,
        });
        return { ...found, path: installed.binary };
      } catch (error) {
        // Installed and verified, but it does not run here (another architecture?): say so.
        if (isRigkitError(error) && error.code === 'E_DETECT_FAILED') {
          return { found: true, path: installed.binary, message: error.message };
        }
        throw error;
      }
    },
  });
}

/** The xmrig adapter with default settings (binary `xmrig` on PATH, no install source). */
export const xmrigAdapter: XmrigAdapter = createXmrigAdapter();
