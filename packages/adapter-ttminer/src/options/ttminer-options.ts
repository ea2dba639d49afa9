import { z } from 'zod';
import { checkExtraArgs } from './extra-args.js';
import { parsePoolUrl } from './pool-url.js';

/** True when `value` can be percent-encoded (no lone UTF-16 surrogate). */
function isWellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

// Control characters would corrupt TT-Miner's argv (NUL) or its log lines; no pool needs them.
const printable = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters')
    .refine(isWellFormed, 'must be well-formed Unicode');

const pool = z.strictObject({
  /** `host:port`, `stratum+tcp://host:port` or `stratum+ssl://host:port`. */
  url: z
    .string()
    .refine(
      (value) => parsePoolUrl(value) !== undefined,
      'expected host:port, stratum+tcp://host:port or stratum+ssl://host:port',
    ),
  /** Wallet address or pool login. Percent-encoded into `-P` where needed. */
  user: printable(1024).min(1),
  /** Worker (rig) name, appended as `user.worker`. */
  worker: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected letters, digits, "_" or "-" (at most 64)')
    .optional(),
  /**
   * Pool password (most pools take `x`). TT-Miner has no config file: it is on the command
   * line, visible to local users in `/proc/<pid>/cmdline`. Never logged.
   */
  pass: printable(1024).optional(),
});

const upperName = (max: number, example: string) =>
  z
    .string()
    .regex(new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`), `expected a name such as ${example}`)
    .transform((value) => value.toUpperCase());

/**
 * The options of a TT-Miner miner. Validated by core with every issue reported by path;
 * unknown keys are refused so a typo (`password` for `pass`) does not pass silently.
 */
export const ttminerOptionsSchema = z.strictObject({
  /** Pools in failover order (one `-P` each). 1 to 16 entries. */
  pools: z.array(pool).min(1).max(16),
  /**
   * Algorithm (`-a`), e.g. `KAWPOW`, `ETHASH`, `PROGPOW`; any case, passed upper-case. The API
   * does not report it, so samples take it from here.
   */
  algo: upperName(32, 'KAWPOW'),
  /** Coin (`-c`), e.g. `RVN`; any case, passed upper-case. */
  coin: upperName(16, 'RVN').optional(),
  /**
   * CUDA device indexes to mine on (`-d 0,1`); default: every GPU. Also the stable device ids
   * of samples (`gpu:<index>`), in this order.
   */
  devices: z
    .array(z.int().min(0).max(255))
    .min(1)
    .max(32)
    .superRefine((devices, ctx) => {
      devices.forEach((device, i) => {
        if (devices.indexOf(device) !== i) {
          ctx.addIssue({ code: 'custom', path: [i], message: `device ${device} is listed twice` });
        }
      });
    })
    .optional(),
  /** Intensity (`-i`), 1–30; default: TT-Miner decides per GPU. */
  intensity: z.int().min(1).max(30).optional(),
  /** The TT-Miner executable: a path or a name on PATH (default: the adapter's, else `TT-Miner`). */
  binary: z.string().min(1).max(4096).optional(),
  /**
   * Password of TT-Miner's API (`--api-password`, sent as `psw` with each request). Visible
   * ASCII only. Like the pool password it is on the command line.
   */
  apiPassword: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, 'expected 1 to 128 visible ASCII characters')
    .optional(),
  /** More TT-Miner flags, checked against an allow-list (see `EXTRA_ARG_RULES`). */
  extraArgs: z
    .array(z.string().max(256))
    .max(32)
    .default([])
    .superRefine((args, ctx) => {
      for (const issue of checkExtraArgs(args)) {
        ctx.addIssue({ code: 'custom', path: [issue.index], message: issue.message });
      }
    }),
});

/** TT-Miner options as given by a user (defaults not yet applied). */
export type TtminerOptionsInput = z.input<typeof ttminerOptionsSchema>;
/** TT-Miner options after validation, with defaults applied and names upper-cased. */
export type TtminerOptions = z.output<typeof ttminerOptionsSchema>;
/** One pool of {@link TtminerOptions.pools}. */
export type TtminerPoolOptions = TtminerOptions['pools'][number];
