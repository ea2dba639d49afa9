import { z } from 'zod';
import { MinerIdSchema } from './common.js';

/**
 * Event types a client may subscribe to on `/api/v1/events`. The `proxy.*` events come from
 * stratum proxy miners (workers logging in and out, pool connections and failover).
 */
export const EVENT_TYPES = [
  'miner.created',
  'miner.removed',
  'miner.state',
  'miner.sample',
  'miner.sample.error',
  'miner.log',
  'miner.health',
  'miner.restart',
  'miner.session',
  'miner.guard',
  'monitor.pressure',
  'proxy.worker.connected',
  'proxy.worker.disconnected',
  'proxy.upstream.up',
  'proxy.upstream.down',
  'proxy.upstream.failover',
] as const;

export const EventTypeSchema = z.enum(EVENT_TYPES);

/** Client → server: replaces the connection's filter. Empty or omitted lists mean "all". */
export const SubscribeMessageSchema = z
  .object({
    type: z.literal('subscribe'),
    miners: z.array(MinerIdSchema).max(1000).optional(),
    events: z.array(EventTypeSchema).max(EVENT_TYPES.length).optional(),
  })
  .strict();

/** Server → client. */
export const EventMessageSchema = z.object({
  type: z.literal('event'),
  event: EventTypeSchema,
  data: z.record(z.string(), z.unknown()),
});

export type SubscribeMessage = z.infer<typeof SubscribeMessageSchema>;
export type EventMessage = z.infer<typeof EventMessageSchema>;
export type EventType = (typeof EVENT_TYPES)[number];
