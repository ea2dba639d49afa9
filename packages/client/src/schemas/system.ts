import { z } from 'zod';

export const AdapterInfoSchema = z.object({
  kind: z.string(),
  name: z.string(),
  version: z.string(),
  core: z.string(),
});

export const AdapterListSchema = z.object({ adapters: z.array(AdapterInfoSchema) });

export const MemorySchema = z.object({
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  heapTotalBytes: z.number(),
  externalBytes: z.number(),
  arrayBuffersBytes: z.number(),
});

export const MonitorSnapshotSchema = z.object({
  time: z.number(),
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  heapTotalBytes: z.number(),
  externalBytes: z.number(),
  arrayBuffersBytes: z.number(),
  eventLoopDelay: z
    .object({ p50Ms: z.number(), p99Ms: z.number(), maxMs: z.number(), meanMs: z.number() })
    .nullable(),
  activeResources: z.record(z.string(), z.number()),
  activeResourceCount: z.number(),
  openFds: z.number().nullable(),
});

export const MonitorResponseSchema = z.object({
  latest: MonitorSnapshotSchema,
  history: z.array(MonitorSnapshotSchema),
});

export const HealthSchema = z.object({ status: z.literal('ok'), uptimeSeconds: z.number() });

export const ReadySchema = z.object({
  ready: z.boolean(),
  checks: z.object({ storage: z.boolean(), manager: z.boolean() }),
});
