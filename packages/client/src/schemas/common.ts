import { z } from 'zod';

/** Stable miner id: URL-safe by construction, so no name can break routing. */
export const MinerIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must match [A-Za-z0-9_-]{1,64}')
  .describe('Stable miner id');

/** Milliseconds since the epoch. */
export const TimestampSchema = z.number().int().nonnegative().describe('ms since the epoch');

export const MinerStateSchema = z.enum([
  'idle',
  'starting',
  'running',
  'stopping',
  'stopped',
  'crashed',
  'backoff',
  'failed',
]);

/** The one error envelope every route answers with on failure. */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. E_MINER_NOT_FOUND'),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe('Error');

export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
