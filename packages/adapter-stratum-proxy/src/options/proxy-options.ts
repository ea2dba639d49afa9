import { z } from 'zod';
import { checkPoolUrl } from './pool-url.js';

// setTimeout fires at once for delays above 2^31 − 1 ms, so a larger value would turn a
// timeout into a busy loop instead of a long wait.
const MAX_TIMER_MS = 2_147_483_647;

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z.int().min(1).max(max).default(fallback);
const durationMs = (fallback: number) => positiveInt(fallback, MAX_TIMER_MS);

// Control characters would corrupt log lines and the stratum JSON the proxy writes.
const text = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

const pool = z.strictObject({
  /** `host:port`, `stratum+tcp://`, `stratum+ssl://` or `stratum+tls://host:port`, `[::1]:3333`. */
  url: z.string().superRefine((value, ctx) => {
    const result = checkPoolUrl(value);
    // The reason never quotes the URL: a `user:pass@` part would leak a secret.
    if (typeof result === 'string') ctx.addIssue({ code: 'custom', message: result });
  }),
  /** Pool login. Required in aggregate mode; in passthrough, missing means the miner's own. */
  user: text(512).min(1).optional(),
  /** Pool password: a secret, never logged or echoed in errors. */
  pass: z.string().max(256, 'must be at most 256 characters').default('x'),
  /** Force TLS on or off, overriding the URL scheme. */
  tls: z.boolean().optional(),
  /** Verify the pool's TLS certificate. */
  tlsRejectUnauthorized: z.boolean().default(true),
  /** Send keepalives upstream (CryptoNote `keepalived`). */
  keepalive: z.boolean().default(true),
  /** Display name in events and metrics. */
  name: text(64).min(1).optional(),
});

const listen = z.strictObject({
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'expected a host name or IP address')
    .default('127.0.0.1'),
  /** 0 picks any free port. */
  port: z.int().min(0).max(65_535).default(0),
});

const limits = z.strictObject({
  maxConnections: positiveInt(10_000),
  maxConnectionsPerIp: positiveInt(1024),
  maxLineBytes: z
    .int()
    .min(512)
    .max(1024 * 1024)
    .default(16_384),
  loginTimeoutMs: durationMs(10_000),
  idleTimeoutMs: durationMs(600_000),
  maxWriteBufferBytes: z.int().min(4096).max(Number.MAX_SAFE_INTEGER).default(262_144),
  messagesPerSecond: positiveInt(100),
  messageBurst: positiveInt(500),
  maxWorkers: positiveInt(10_000),
  workerTtlMs: durationMs(3_600_000),
  maxSharesPerJob: positiveInt(100_000),
  upstreamRequestTimeoutMs: durationMs(10_000),
});

const failover = z
  .strictObject({
    connectTimeoutMs: durationMs(10_000),
    initialBackoffMs: durationMs(1000),
    maxBackoffMs: durationMs(60_000),
    /** How often to probe the primary while running on a fallback pool. */
    primaryRetryMs: durationMs(60_000),
  })
  .superRefine((value, ctx) => {
    if (value.maxBackoffMs < value.initialBackoffMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxBackoffMs'],
        message: 'must be at least initialBackoffMs',
      });
    }
  });

const aggregate = z.strictObject({
  /** Per-miner extranonce prefix (Stratum V1): 1 byte = 256 miners, 2 = 65,536 per upstream. */
  extranoncePrefixBytes: z.union([z.literal(1), z.literal(2)]).default(1),
  /** How long an upstream with no miners stays open, so a reconnecting farm reuses it. */
  upstreamIdleMs: durationMs(30_000),
});

const metrics = z.strictObject({
  /** Per-worker labels in Prometheus metrics; off by default because workers are unbounded. */
  workerLabels: z.boolean().default(false),
});

/**
 * Options of the stratum proxy. Every object is strict so a typo is reported by its path;
 * nested objects may be omitted and get their defaults.
 */
export const proxyOptionsSchema = z
  .strictObject({
    /** Which protocol family miners and pools speak. */
    protocol: z.enum(['cryptonote', 'stratum-v1']),
    /** `passthrough`: one upstream per miner. `aggregate`: many miners share an upstream. */
    mode: z.enum(['passthrough', 'aggregate']).default('aggregate'),
    listen: listen.prefault({}),
    /** Pools in failover order; the first is the primary. */
    pools: z.array(pool).min(1).max(16),
    limits: limits.prefault({}),
    failover: failover.prefault({}),
    aggregate: aggregate.prefault({}),
    /** CryptoNote upstream `keepalived` interval. */
    keepaliveMs: durationMs(60_000),
    metrics: metrics.prefault({}),
  })
  .superRefine((value, ctx) => {
    if (value.mode !== 'aggregate') return;
    value.pools.forEach((entry, index) => {
      if (entry.user === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['pools', index, 'user'],
          message: 'required in aggregate mode (miners share the upstream login)',
        });
      }
    });
  });

/** Proxy options as a user writes them (defaults not yet applied). */
export type ProxyOptionsInput = z.input<typeof proxyOptionsSchema>;
/** Proxy options after validation, with every default applied. */
export type ProxyOptions = z.output<typeof proxyOptionsSchema>;
/** One entry of {@link ProxyOptions.pools}. */
export type ProxyPoolOptions = ProxyOptions['pools'][number];
/** {@link ProxyOptions.limits} with defaults applied. */
export type ProxyLimits = ProxyOptions['limits'];
