import { z } from 'zod';
import { MinerIdSchema, MinerStateSchema, TimestampSchema } from './common.js';
import { SampleSchema } from './sample.js';

export const SupervisionPatchSchema = z
  .object({
    probeIntervalMs: z.number().int().positive(),
    probeTimeoutMs: z.number().int().positive(),
    startTimeoutMs: z.number().int().positive(),
    warmupMs: z.number().int().nonnegative(),
    unhealthyAfter: z.number().int().positive(),
    stallTimeoutMs: z.number().int().nonnegative(),
    dropRatio: z.number().min(0).lt(1),
    backoffInitialMs: z.number().int().nonnegative(),
    backoffMaxMs: z.number().int().nonnegative(),
    crashLoopMaxRestarts: z.number().int().nonnegative(),
    crashLoopWindowMs: z.number().int().positive(),
    stopGraceMs: z.number().int().nonnegative(),
    restartOnCrash: z.boolean(),
    temperatureLimitC: z.number().nonnegative(),
    temperatureResumeC: z.number().nonnegative(),
    temperatureSamples: z.number().int().positive(),
    temperatureAction: z.enum(['pause', 'stop']),
    temperatureCooldownMs: z.number().int().nonnegative(),
  })
  .partial()
  .strict();

export const ExitInfoSchema = z.object({
  code: z.number().nullable(),
  signal: z.string().nullable(),
  time: TimestampSchema,
});

/** A miner as the API shows it. Options are never included: they may hold pool passwords. */
export const MinerSchema = z.object({
  id: MinerIdSchema,
  kind: z.string(),
  name: z.string(),
  state: MinerStateSchema,
  autostart: z.boolean(),
  generation: z.number().int(),
  pid: z.number().int().nullable(),
  startedAt: TimestampSchema.nullable(),
  recentRestarts: z.number().int(),
  lastExit: ExitInfoSchema.nullable(),
  lastSample: SampleSchema.nullable(),
  paused: z.boolean().describe('paused by the temperature guard'),
});

export const MinerListSchema = z.object({ miners: z.array(MinerSchema) });

export const CreateMinerBodySchema = z
  .object({
    kind: z.string().min(1).max(40),
    name: z.string().trim().min(1).max(200),
    id: MinerIdSchema.optional(),
    options: z.record(z.string(), z.unknown()).default({}),
    autostart: z.boolean().default(false),
    supervision: SupervisionPatchSchema.optional(),
  })
  .strict();

export const PatchMinerBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    autostart: z.boolean().optional(),
  })
  .strict();

export const MinerParamsSchema = z.object({ id: MinerIdSchema });

export const StdinBodySchema = z
  .object({ input: z.string().min(1).max(256).describe('Text written to the miner stdin') })
  .strict();

export type MinerDto = z.infer<typeof MinerSchema>;
export type CreateMinerBody = z.input<typeof CreateMinerBodySchema>;
export type PatchMinerBody = z.infer<typeof PatchMinerBodySchema>;
