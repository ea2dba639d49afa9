import { z } from 'zod';
import { checkExtraArgs } from './extra-args.js';
import { parsePoolUrl } from './pool-url.js';

// Control characters would corrupt xmrig's argv (NUL) or its log lines; no pool needs them.
const printable = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

const pool = z
  .strictObject({
    /** `host:port`, `stratum+tcp://host:port` or `stratum+ssl://host:port`. */
    url: z
      .string()
      .refine(
        (value) => parsePoolUrl(value) !== undefined,
        'expected host:port, stratum+tcp://host:port or stratum+ssl://host:port',
      ),
    /** Wallet address or pool login. */
    user: printable(1024).min(1),
    /** Pool password. Never logged; kept off the command line when a config file is used. */
    pass: printable(1024).optional(),
    /** Rig identifier shown by the pool. */
    rigId: printable(256).min(1).optional(),
    /** Connect with TLS (implied by `stratum+ssl://`). */
    tls: z.boolean().optional(),
    /** Send keepalived messages (pool support needed). */
    keepalive: z.boolean().optional(),
    /** NiceHash nonce handling. */
    nicehash: z.boolean().optional(),
    /** Coin instead of an algorithm, e.g. `monero`. */
    coin: z
      .string()
      .regex(/^[A-Za-z0-9]{1,32}$/, 'expected a coin name such as monero')
      .optional(),
    /** Algorithm, e.g. `rx/0`. */
    algo: z
      .string()
      .regex(/^[A-Za-z0-9/_-]{1,32}$/, 'expected an algorithm such as rx/0')
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.tls === false && parsePoolUrl(value.url)?.scheme === 'stratum+ssl') {
      ctx.addIssue({
        code: 'custom',
        path: ['tls'],
        message: 'stratum+ssl:// always uses TLS; remove tls: false or use stratum+tcp://',
      });
    }
  });

/**
 * The options of an xmrig miner. Validated by core with every issue reported by path;
 * unknown keys are refused so a typo (`password` for `pass`) does not pass silently.
 */
export const xmrigOptionsSchema = z.strictObject({
  /** Pools in failover order: xmrig uses the first that answers. 1 to 16 entries. */
  pools: z.array(pool).min(1).max(16),
  /** Number of mining threads (default: xmrig decides). */
  threads: z.int().min(1).max(1024).optional(),
  /** Percentage of logical CPUs xmrig's auto-configuration may use, 1–100. */
  cpuMaxThreadsHint: z.int().min(1).max(100).optional(),
  /** Process priority of the mining threads: 0 (idle) to 5 (highest). */
  cpuPriority: z.int().min(0).max(5).optional(),
  /**
   * Use huge pages (default true). Note: run as root without `--no-huge-pages`, xmrig raises
   * `vm.nr_hugepages` system-wide. `false` passes `--no-huge-pages`.
   */
  hugePages: z.boolean().default(true),
  /**
   * Donation percentage, passed to xmrig exactly as given (default 0). Official xmrig builds
   * enforce their own minimum; the adapter logs a warning when xmrig reports another value.
   */
  donateLevel: z.int().min(0).max(99).default(0),
  /** The xmrig executable: a path or a name on PATH (default: the adapter's, else `xmrig`). */
  binary: z.string().min(1).max(4096).optional(),
  /** More xmrig flags, checked against an allow-list (see `EXTRA_ARG_RULES`). */
  extraArgs: z
    .array(z.string().max(256))
    .max(64)
    .default([])
    .superRefine((args, ctx) => {
      for (const issue of checkExtraArgs(args)) {
        ctx.addIssue({ code: 'custom', path: [issue.index], message: issue.message });
      }
    }),
  /**
   * Write pools, passwords and the API token into a config file (mode 0600, removed after the
   * run) instead of the command line (default true). With `false` they are visible to every
   * local user in `/proc/<pid>/cmdline`.
   */
  useConfigFile: z.boolean().default(true),
});

/** xmrig options as given by a user (defaults not yet applied). */
export type XmrigOptionsInput = z.input<typeof xmrigOptionsSchema>;
/** xmrig options after validation, with defaults applied. */
export type XmrigOptions = z.output<typeof xmrigOptionsSchema>;
/** One pool of {@link XmrigOptions.pools}. */
export type XmrigPoolOptions = XmrigOptions['pools'][number];
