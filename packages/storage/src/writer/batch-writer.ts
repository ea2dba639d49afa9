import type { SessionRecord } from '@rigkit/core';
import { StorageError, type StorageErrorCode } from '../errors/storage-error.js';
import { type SampleBatch, SampleQueue } from './sample-queue.js';

/** An event ready to insert (`data` already serialised). */
export interface EventRow {
  id: string;
  minerId: string;
  type: string;
  time: number;
  data: string;
}

/** What one transaction writes. */
export interface WriteBatch {
  samples: SampleBatch;
  sessions: SessionRecord[];
  events: EventRow[];
}

/** Writes one batch in one transaction; rejects (with a {@link StorageError}) when it could not. */
export type BatchSink = (batch: WriteBatch) => Promise<void>;

/** Tuning of the {@link BatchWriter}. */
export interface BatchWriterOptions {
  /** Flush at least this often while anything is queued, ms. Default 1000. */
  flushIntervalMs: number;
  /** Flush as soon as this many samples are queued. Default 500. */
  flushRows: number;
  /** Samples held at most; when full the oldest are dropped (and counted). Default 50 000. */
  maxQueue: number;
  /** Samples (and events) written per transaction at most. Default 5000. */
  maxBatchRows: number;
  /** Events held at most; when full the oldest are dropped. Default 10 000. */
  maxEventQueue: number;
  /** Pending session updates held at most; when full the oldest are dropped. Default 10 000. */
  maxSessionQueue: number;
  /** Longest wait between retries after failed writes, ms. Default 30 000. */
  maxRetryDelayMs: number;
}

/** Default {@link BatchWriterOptions}. */
export const DEFAULT_WRITER_OPTIONS: Readonly<BatchWriterOptions> = Object.freeze({
  flushIntervalMs: 1000,
  flushRows: 500,
  maxQueue: 50_000,
  maxBatchRows: 5000,
  maxEventQueue: 10_000,
  maxSessionQueue: 10_000,
  maxRetryDelayMs: 30_000,
});

/** Counters of one kind of row. */
export interface RowStats {
  /** Waiting in memory. */
  queued: number;
  /** Discarded: the queue was full, or the storage closed unable to write them. */
  dropped: number;
  /** Committed to the database. */
  written: number;
}

/** What the writer has done so far; cheap to read (no I/O). */
export interface WriterStats extends RowStats {
  /** Calls refused: invalid input, or made after `close()`. */
  rejected: number;
  /** Transactions committed. */
  flushes: number;
  /** Transactions that failed. */
  errors: number;
  /** Code of the most recent failure, cleared by nothing (compare `errors` to see new ones). */
  lastError: StorageErrorCode | undefined;
  /** `false` while the most recent write attempt failed (for readiness checks). */
  writable: boolean;
  samples: RowStats;
  sessions: RowStats;
  events: RowStats;
}

/**
 * Queues samples, session updates and events in memory and writes them in batches: one
 * transaction as soon as `flushRows` samples are waiting, or every `flushIntervalMs`.
 *
 * Every queue is bounded and drops its oldest entries when full, so a stalled or full disk
 * costs old data, never memory. A failed transaction puts its rows back (as many as fit) and
 * is retried with exponential backoff; enqueueing never throws. Timers exist only while
 * something is queued and are all released by {@link BatchWriter.close}.
 */
export class BatchWriter {
  readonly #sink: BatchSink;
  readonly #options: BatchWriterOptions;
  readonly #onError: (error: StorageError) => void;
  readonly #samples: SampleQueue;
  readonly #sessions = new Map<string, SessionRecord>();
  #events: EventRow[] = [];
  #eventsHead = 0;

  #started = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #chain: Promise<void> = Promise.resolve();
  #backgroundRunning = false;
  #failures = 0;

  readonly #counts = {
    samples: { dropped: 0, written: 0 },
    sessions: { dropped: 0, written: 0 },
    events: { dropped: 0, written: 0 },
  };
  #rejected = 0;
  #flushes = 0;
  #errors = 0;
  #lastError: StorageErrorCode | undefined;

  constructor(
    sink: BatchSink,
    options: Partial<BatchWriterOptions> = {},
    onError: (error: StorageError) => void = () => {},
  ) {
    this.#sink = sink;
    this.#options = { ...DEFAULT_WRITER_OPTIONS, ...options };
    this.#onError = onError;
    this.#samples = new SampleQueue(this.#options.maxQueue);
  }

  /** Lets the writer schedule flushes (until then rows only queue). Idempotent. */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.#schedule();
  }

  /** Queues one raw sample. `NaN` marks a missing hashrate or share delta. */
  enqueueSample(
    minerId: string,
    time: number,
    hashrate: number,
    accepted: number,
    rejected: number,
  ): void {
    if (this.#closed) {
      this.#rejected += 1;
      return;
    }
    if (!this.#samples.push(minerId, time, hashrate, accepted, rejected)) {
      this.#counts.samples.dropped += 1;
    }
    if (this.#timer === undefined || this.#samples.size >= this.#options.flushRows) {
      this.#schedule();
    }
  }

  /** Queues a session insert-or-update; a later update of the same session replaces it. */
  enqueueSession(session: SessionRecord): void {
    if (this.#closed) {
      this.#rejected += 1;
      return;
    }
    if (this.#sessions.has(session.id)) {
      this.#sessions.delete(session.id);
    } else if (this.#sessions.size >= this.#options.maxSessionQueue) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
      this.#counts.sessions.dropped += 1;
    }
    this.#sessions.set(session.id, session);
    this.#schedule();
  }

  /** Queues an event. */
  enqueueEvent(event: EventRow): void {
    if (this.#closed) {
      this.#rejected += 1;
      return;
    }
    if (this.#eventCount() >= this.#options.maxEventQueue) {
      this.#eventsHead += 1;
      this.#counts.events.dropped += 1;
    }
    this.#events.push(event);
    this.#compactEvents();
    this.#schedule();
  }

  /** Counts a call that was refused before reaching a queue (invalid input). */
  reject(): void {
    this.#rejected += 1;
  }

  /**
   * Writes everything queued now, in as many transactions as it takes. Rejects with the
   * {@link StorageError} of a failed transaction (its rows stay queued for a retry).
   */
  flush(): Promise<void> {
    return this.#serial(() => this.#drain());
  }

  /**
   * Stops the timers, waits for a running flush, writes what is queued (unless
   * `write: false`) and refuses later rows. If the final write fails the queued rows are dropped (counted and reported through
   * `onError`): close always completes, so shutdown never hangs on a broken disk.
   */
  async close(options: { write?: boolean } = {}): Promise<void> {
    if (this.#closed) return this.#chain;
    this.#closed = true;
    this.#clearTimers();
    if (options.write === false) {
      await this.#chain;
      this.#dropAll();
      return;
    }
    try {
      await this.#serial(() => this.#drain());
    } catch {
      this.#dropAll();
    }
  }

  /** Current counters. */
  stats(): WriterStats {
    const samples = { queued: this.#samples.size, ...this.#counts.samples };
    const sessions = { queued: this.#sessions.size, ...this.#counts.sessions };
    const events = { queued: this.#eventCount(), ...this.#counts.events };
    return {
      queued: samples.queued + sessions.queued + events.queued,
      dropped: samples.dropped + sessions.dropped + events.dropped,
      written: samples.written + sessions.written + events.written,
      rejected: this.#rejected,
      flushes: this.#flushes,
      errors: this.#errors,
      lastError: this.#lastError,
      writable: this.#failures === 0,
      samples,
      sessions,
      events,
    };
  }

  // --- scheduling -------------------------------------------------------------------------

  #schedule(): void {
    if (!this.#started || this.#closed || this.#backgroundRunning) return;
    if (this.#queuedRows() === 0) return;
    if (
      this.#failures === 0 &&
      this.#samples.size >= this.#options.flushRows &&
      this.#immediate === undefined
    ) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
      }
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#background();
      });
      return;
    }
    if (this.#timer === undefined && this.#immediate === undefined) {
      const delay =
        this.#failures === 0
          ? this.#options.flushIntervalMs
          : Math.min(
              this.#options.flushIntervalMs * 2 ** this.#failures,
              this.#options.maxRetryDelayMs,
            );
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#background();
      }, delay);
    }
  }

  #background(): void {
    if (this.#closed || this.#backgroundRunning) return;
    this.#backgroundRunning = true;
    this.#serial(() => this.#drain())
      .catch(() => {
        // Already counted and reported by #drain; the retry is scheduled below.
      })
      .finally(() => {
        this.#backgroundRunning = false;
        this.#schedule();
      });
  }

  #clearTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timer = undefined;
    this.#immediate = undefined;
  }

  /** Runs flushes one at a time, in call order. */
  #serial(task: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => {});
    return run;
  }

  // --- writing ----------------------------------------------------------------------------

  /**
   * Writes what was queued when the drain began. Rows queued meanwhile wait for the next
   * drain, so a steady stream of samples cannot keep `flush()` from returning.
   */
  async #drain(): Promise<void> {
    let rounds = Math.ceil(this.#queuedRows() / this.#options.maxBatchRows) + 1;
    while (rounds > 0 && this.#queuedRows() > 0) {
      rounds -= 1;
      const batch = this.#takeBatch();
      try {
        await this.#sink(batch);
      } catch (cause) {
        this.#restore(batch);
        const error = StorageError.from(cause, 'E_STORAGE_WRITE', undefined);
        this.#errors += 1;
        this.#failures += 1;
        this.#lastError = error.code;
        this.#onError(error);
        throw error;
      }
      this.#failures = 0;
      this.#flushes += 1;
      this.#counts.samples.written += batch.samples.length;
      this.#counts.sessions.written += batch.sessions.length;
      this.#counts.events.written += batch.events.length;
      // Let readers and other I/O in between transactions of a long drain.
      if (rounds > 0 && this.#queuedRows() > 0) await yieldToEventLoop();
    }
  }

  #takeBatch(): WriteBatch {
    const max = this.#options.maxBatchRows;
    const samples = this.#samples.take(max);
    const sessions: SessionRecord[] = [];
    for (const [id, session] of this.#sessions) {
      if (sessions.length >= max) break;
      sessions.push(session);
      this.#sessions.delete(id);
    }
    const end = Math.min(this.#events.length, this.#eventsHead + max);
    const events = this.#events.slice(this.#eventsHead, end);
    this.#eventsHead = end;
    this.#compactEvents();
    return { samples, sessions, events };
  }

  /** Puts a failed batch back in front, dropping (and counting) whatever no longer fits. */
  #restore(batch: WriteBatch): void {
    this.#counts.samples.dropped += this.#samples.putBack(batch.samples);

    const newer = [...this.#sessions];
    this.#sessions.clear();
    for (const session of batch.sessions) this.#sessions.set(session.id, session);
    for (const [id, session] of newer) {
      this.#sessions.delete(id);
      this.#sessions.set(id, session);
    }
    while (this.#sessions.size > this.#options.maxSessionQueue) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
      this.#counts.sessions.dropped += 1;
    }

    const queued = this.#events.slice(this.#eventsHead);
    const room = Math.max(0, this.#options.maxEventQueue - queued.length);
    const kept = batch.events.slice(Math.max(0, batch.events.length - room));
    this.#counts.events.dropped += batch.events.length - kept.length;
    this.#events = [...kept, ...queued];
    this.#eventsHead = 0;
  }

  #dropAll(): void {
    this.#counts.samples.dropped += this.#samples.clear();
    this.#counts.sessions.dropped += this.#sessions.size;
    this.#sessions.clear();
    this.#counts.events.dropped += this.#eventCount();
    this.#events = [];
    this.#eventsHead = 0;
  }

  #eventCount(): number {
    return this.#events.length - this.#eventsHead;
  }

  /** Drops consumed slots once they are the larger part, keeping shifts amortised O(1). */
  #compactEvents(): void {
    if (this.#eventsHead > 1024 && this.#eventsHead * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#eventsHead);
      this.#eventsHead = 0;
    }
  }

  #queuedRows(): number {
    return this.#samples.size + this.#sessions.size + this.#eventCount();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
