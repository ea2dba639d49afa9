/** One line a miner printed, as kept in its log ring. */
export interface LogEntry {
  /** Sequence number, increasing by one per line for the miner's lifetime: the cursor. */
  seq: number;
  time: number;
  stream: 'stdout' | 'stderr' | 'rigkit';
  text: string;
  /** The line was longer than the limit and was cut. */
  truncated: boolean;
}

/**
 * A fixed-capacity ring of log lines with a sequence-number cursor, so readers fetch
 * "what came after seq N" instead of the whole buffer. Oldest lines are overwritten.
 */
export class LogRing {
  readonly #entries: (LogEntry | undefined)[];
  #nextSeq = 1;

  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#entries = new Array(capacity);
  }

  /** Appends a line and returns its entry. */
  push(time: number, stream: LogEntry['stream'], text: string, truncated = false): LogEntry {
    const entry: LogEntry = { seq: this.#nextSeq++, time, stream, text, truncated };
    this.#entries[entry.seq % this.capacity] = entry;
    return entry;
  }

  /** Sequence number of the newest line, 0 when empty. */
  get lastSeq(): number {
    return this.#nextSeq - 1;
  }

  /** Sequence number of the oldest line still held. */
  get firstSeq(): number {
    return Math.max(1, this.#nextSeq - this.capacity);
  }

  /** Number of lines held. */
  get size(): number {
    return this.lastSeq - this.firstSeq + 1;
  }

  /** The last `n` lines, oldest first. */
  tail(n: number): LogEntry[] {
    const count = Math.max(0, Math.min(Math.trunc(n), this.size));
    return this.#range(this.lastSeq - count + 1, count);
  }

  /** Up to `limit` lines with `seq > after`, oldest first. Lines already overwritten are skipped. */
  since(after: number, limit = this.capacity): LogEntry[] {
    const from = Math.max(this.firstSeq, Math.trunc(after) + 1);
    const count = Math.max(0, Math.min(this.lastSeq - from + 1, Math.trunc(limit)));
    return this.#range(from, count);
  }

  #range(fromSeq: number, count: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let seq = fromSeq; seq < fromSeq + count; seq++) {
      const entry = this.#entries[seq % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }
}
