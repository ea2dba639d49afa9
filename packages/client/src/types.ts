import type { z } from 'zod';
import type { HistoryPointSchema, SessionSchema } from './schemas/history.js';
import type { LogEntrySchema } from './schemas/logs.js';
import type { DeviceRowSchema } from './schemas/sample.js';
import type {
  AdapterInfoSchema,
  HealthSchema,
  MemorySchema,
  MonitorResponseSchema,
  MonitorSnapshotSchema,
  ReadySchema,
} from './schemas/system.js';

/** Types of the answers that the schema files do not name themselves. */
export type AdapterInfo = z.infer<typeof AdapterInfoSchema>;
export type MemoryDto = z.infer<typeof MemorySchema>;
export type MonitorSnapshotDto = z.infer<typeof MonitorSnapshotSchema>;
export type MonitorResponse = z.infer<typeof MonitorResponseSchema>;
export type HealthDto = z.infer<typeof HealthSchema>;
export type ReadyDto = z.infer<typeof ReadySchema>;
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;
export type SessionDto = z.infer<typeof SessionSchema>;
export type LogEntryDto = z.infer<typeof LogEntrySchema>;
export type DeviceRowDto = z.infer<typeof DeviceRowSchema>;
