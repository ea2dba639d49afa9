import type { Sample } from '../adapter/sample.js';
import type { SessionRecord } from './session-record.js';

/** An event worth keeping (restarts, health and state changes), as handed to a sink. */
export interface RecordedEvent {
  minerId: string;
  type: string;
  time: number;
  data: Readonly<Record<string, unknown>>;
}

/**
 * Where the manager hands samples, sessions and events for long-term keeping
 * (`@rigkit/storage` implements it). Calls are synchronous and must not block: a sink queues
 * and writes in batches. A throwing sink is logged and never stops supervision.
 */
export interface HistorySink {
  writeSample(minerId: string, sample: Sample): void;
  /** Called when a run starts and again when it ends (same `id`: upsert). */
  recordSession?(session: SessionRecord): void;
  recordEvent?(event: RecordedEvent): void;
}
