import { CreateMinerBodySchema, SupervisionPatchSchema } from '@rigkit/client';
import { z } from 'zod';

/** Adapter packages the server loads when the config does not name any. */
export const DEFAULT_ADAPTERS = ['@rigkit/adapter-xmrig', '@rigkit/adapter-stratum-proxy'] as const;

/** The Rigkit server configuration (`rigkit.config.{ts,js,mjs,json}` + `RIGKIT_*` env). */
export const ConfigSchema = z
  .object({
    /** Where Rigkit keeps its database, token and per-miner files. Default: the OS data dir. */
    dataDir: z.string().min(1).optional(),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(7420),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 7420 }),
    auth: z
      .object({ token: z.string().min(32, 'must be at least 32 characters').optional() })
      .strict()
      .default({}),
    /**
     * Adapter packages to load with import(), resolved from the config file's folder. The
     * default registers xmrig and Rigkit's stratum proxy (`kind: 'stratum-proxy'`).
     */
    adapters: z
      .array(z.string().min(1))
      .max(64)
      .default([...DEFAULT_ADAPTERS]),
    /** Miners declared in the config; created (or updated) at start. */
    miners: z.array(CreateMinerBodySchema).max(1000).default([]),
    storage: z
      .union([z.literal(false), z.object({ file: z.string().min(1).optional() }).strict()])
      .default({}),
    supervision: SupervisionPatchSchema.optional(),
    sampleIntervalMs: z.number().int().min(1000).max(3_600_000).default(10_000),
    ws: z
      .object({
        maxClients: z.number().int().min(1).max(100_000).default(1000),
        queueSize: z.number().int().min(1).max(100_000).default(256),
        pingIntervalMs: z.number().int().min(1000).default(30_000),
        allowedOrigins: z.array(z.string().url()).max(100).default([]),
      })
      .strict()
      .default({ maxClients: 1000, queueSize: 256, pingIntervalMs: 30_000, allowedOrigins: [] }),
    limits: z
      .object({
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(1024 * 1024),
        rateLimitPerMinute: z.union([z.number().int().min(1), z.literal(false)]).default(600),
      })
      .strict()
      .default({ bodyLimitBytes: 1024 * 1024, rateLimitPerMinute: 600 }),
    log: z
      .object({
        level: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info'),
      })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type RigkitConfig = z.output<typeof ConfigSchema>;
export type RigkitConfigInput = z.input<typeof ConfigSchema>;

/** For `rigkit.config.ts`: `export default defineConfig({ … })` with types. */
export function defineConfig(config: RigkitConfigInput): RigkitConfigInput {
  return config;
}
