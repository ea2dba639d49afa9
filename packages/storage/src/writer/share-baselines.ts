/**
 * Turns the cumulative share counters a miner reports into shares per sample, so roll-ups and
 * summaries add them up with plain `sum()`. Bounded: at most `capacity` miners are tracked;
 * the longest-tracked is forgotten first (its next delta counts from zero).
 */
export class ShareBaselines {
  readonly #capacity: number;
  readonly #last = new Map<string, { accepted: number; rejected: number }>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /**
   * Shares counted since the previous call for `minerId`. A counter that went down means the
   * process restarted, so the new value is all new shares. With no baseline (first sample
   * since a run started) the whole counter counts: counters start at zero with the process.
   */
  delta(minerId: string, accepted: number, rejected: number): [number, number] {
    const last = this.#last.get(minerId);
    if (last === undefined) {
      if (this.#last.size >= this.#capacity) {
        const oldest = this.#last.keys().next().value;
        if (oldest !== undefined) this.#last.delete(oldest);
      }
      this.#last.set(minerId, { accepted, rejected });
      return [accepted, rejected];
    }
    const deltaAccepted = accepted >= last.accepted ? accepted - last.accepted : accepted;
    const deltaRejected = rejected >= last.rejected ? rejected - last.rejected : rejected;
    last.accepted = accepted;
    last.rejected = rejected;
    return [deltaAccepted, deltaRejected];
  }

  /** A new run started: its process counts from zero. */
  reset(minerId: string): void {
    this.#last.delete(minerId);
  }

  /** Miners tracked. */
  get size(): number {
    return this.#last.size;
  }
}
