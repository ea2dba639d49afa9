import { z } from 'zod';
import { TimestampSchema } from './common.js';

const DAY = 86_400_000;

export const HistoryQuerySchema = z
  .object({
    from: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('ms since the epoch; default to − 24 h'),
    to: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('ms since the epoch; default now'),
    maxPoints: z.coerce.number().int().min(1).max(5000).default(500),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= 400 * DAY, {
    message: 'the range may span at most 400 days',
    path: ['to'],
  });

export const HistoryPointSchema = z.object({
  time: TimestampSchema,
  hashrate: z.number().nullable(),
  min: z.number().nullable().optional(),
  max: z.number().nullable().optional(),
});

export const HistoryResponseSchema = z.object({
  resolution: z.string().describe('raw, 1m, 1h or memory tier actually used'),
  points: z.array(HistoryPointSchema),
});

export const SessionsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.number().int().nonnegative().optional(),
  })
  .strict();

export const SessionSchema = z.object({
  id: z.string(),
  minerId: z.string(),
  startedAt: TimestampSchema,
  endedAt: TimestampSchema.nullable(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  endReason: z.string().nullable(),
  restartAttempt: z.number().int(),
  sharesAccepted: z.number(),
  sharesRejected: z.number(),
  avgHashrate: z.number().nullable(),
});

export const SessionsResponseSchema = z.object({
  sessions: z.array(SessionSchema),
  nextBefore: TimestampSchema.nullable().describe('pass as `before` for the next page'),
});

export type HistoryResponse = z.infer<typeof HistoryResponseSchema>;
export type SessionsResponse = z.infer<typeof SessionsResponseSchema>;
