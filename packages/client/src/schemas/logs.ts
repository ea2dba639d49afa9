import { z } from 'zod';
import { TimestampSchema } from './common.js';

export const LogsQuerySchema = z
  .object({
    tail: z.coerce.number().int().min(1).max(1000).default(100),
    since: z.coerce.number().int().nonnegative().optional().describe('return lines after this seq'),
  })
  .strict();

export const LogEntrySchema = z.object({
  seq: z.number().int(),
  time: TimestampSchema,
  stream: z.enum(['stdout', 'stderr', 'rigkit']),
  text: z.string(),
  truncated: z.boolean(),
});

export const LogsResponseSchema = z.object({
  entries: z.array(LogEntrySchema),
  /** The cursor: pass it as `since` to get only newer lines. */
  lastSeq: z.number().int(),
  firstSeq: z.number().int(),
});

export type LogsResponse = z.infer<typeof LogsResponseSchema>;
