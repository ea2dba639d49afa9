import { z } from 'zod';
import { TimestampSchema } from './common.js';

export const DeviceRowSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  hashrate: z.number().optional().describe('H/s'),
  temperatureC: z.number().optional(),
  fanPercent: z.number().optional(),
  powerW: z.number().optional(),
});

/** One reading of a miner; every hashrate is in H/s. */
export const SampleSchema = z.object({
  time: TimestampSchema,
  hashrate: z.number().nullable().describe('H/s; null when unknown'),
  hashrate10s: z.number().optional(),
  hashrate60s: z.number().optional(),
  hashrate15m: z.number().optional(),
  shares: z
    .object({
      accepted: z.number(),
      rejected: z.number(),
      stale: z.number().optional(),
      invalid: z.number().optional(),
    })
    .optional(),
  difficulty: z.number().optional(),
  pool: z.string().optional(),
  algo: z.string().optional(),
  uptimeSeconds: z.number().optional(),
  devices: z.array(DeviceRowSchema).optional(),
  metrics: z
    .record(z.string(), z.number())
    .optional()
    .describe('adapter-specific readings under fixed snake_case names, e.g. proxy_miners'),
  warnings: z.array(z.string()).optional(),
});

export type SampleDto = z.infer<typeof SampleSchema>;
