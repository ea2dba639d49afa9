/** How the pool (or the proxy) judged a share. */
export type ShareResult = 'accepted' | 'rejected' | 'invalid' | 'stale';

/** The handle of one worker, returned by {@link WorkerStats.connect}; pass it back as is. */
export interface WorkerRecord {
  /** Worker name (cut to {@link MAX_WORKER_NAME_LENGTH}), or {@link OVERFLOW_WORKER}. */
  readonly name: string;
  /** Open connections of this worker. */
  readonly connections: number;
}

/** A copy of one worker's statistics. Hashrates are in H/s. */
export interface WorkerSnapshot {
  name: string;
  connections: number;
  accepted: number;
  rejected: number;
  invalid: number;
  stale: number;
  hashrate1m: number;
  hashrate10m: number;
  hashrate1h: number;
  lastShareAt?: number;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Settings of {@link WorkerStats}. */
export interface WorkerStatsOptions {
  /** Distinct workers kept (the `(other)` overflow record comes on top). */
  maxWorkers: number;
  /** Offline workers last seen longer ago than this are removed by {@link WorkerStats.sweep}. */
  offlineTtlMs: number;
  /** Hashes one unit of share difficulty stands for (1 for CryptoNote, 2^32 for SHA-256d). */
  hashesPerDifficulty: number;
  now?: () => number;
}

/** Name of the shared record that absorbs new workers when every kept worker is online. */
export const OVERFLOW_WORKER = '(other)';
/** Longer worker names are cut, so one login cannot make a record hold megabytes. */
export const MAX_WORKER_NAME_LENGTH = 128;

const MINUTE_MS = 60_000;
const MINUTE_BUCKETS = 60;
const TEN_S_MS = 10_000;
const TEN_S_BUCKETS = 6;

/**
 * One worker. Fields are plain numbers and one Float64Array (60 one-minute buckets followed by
 * 6 ten-second buckets of accepted hashes, ≈ 530 bytes, made on the first accepted share) so a
 * record stays well under 1 KiB.
 * The links thread it through two intrusive lists, which makes every update O(1).
 */
class Entry implements WorkerRecord {
  readonly name: string;
  connections = 0;
  accepted = 0;
  rejected = 0;
  invalid = 0;
  stale = 0;
  lastShareAt = 0;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Absolute minute / ten-second index of the newest bucket. */
  minuteHead: number;
  tenHead: number;
  /**
   * Made on the first accepted share: 10,000 miners that are logged in but have not found a
   * share yet (a farm reconnecting) cost no bucket memory.
   */
  buckets: Float64Array | undefined;
  /** No longer in the table: a stale handle must not touch the lists. */
  removed = false;
  /** Most-recently-active list, over every record. */
  newer: Entry | undefined;
  older: Entry | undefined;
  /** Offline list in order of last activity, oldest first. */
  nextOffline: Entry | undefined;
  prevOffline: Entry | undefined;

  constructor(name: string, now: number) {
    this.name = name;
    this.firstSeenAt = now;
    this.lastSeenAt = now;
    this.minuteHead = Math.floor(now / MINUTE_MS);
    this.tenHead = Math.floor(now / TEN_S_MS);
  }
}

function cutName(name: string): string {
  if (name.length <= MAX_WORKER_NAME_LENGTH) return name;
  const cut = name.slice(0, MAX_WORKER_NAME_LENGTH);
  // Do not leave half of a surrogate pair at the end.
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** Zeroes the buckets `head + 1 … index` of a ring, at most once round. */
function roll(
  buckets: Float64Array,
  offset: number,
  length: number,
  head: number,
  index: number,
): void {
  const steps = Math.min(index - head, length);
  for (let i = 1; i <= steps; i++) buckets[offset + ((head + i) % length)] = 0;
}

/**
 * Per-worker share statistics in a bounded table. At most `maxWorkers` records plus one
 * `(other)` record: a new name at the cap evicts the least recently active offline worker,
 * or, when every worker is online, is counted in `(other)`. 100,000 distinct names therefore
 * cost no more than the cap. Every per-share update is O(1); the clock is read, never timed.
 */
export class WorkerStats {
  readonly #maxWorkers: number;
  readonly #offlineTtlMs: number;
  readonly #hashesPerDifficulty: number;
  readonly #now: () => number;
  readonly #byName = new Map<string, Entry>();
  #overflow: Entry | undefined;
  #newest: Entry | undefined;
  #oldest: Entry | undefined;
  #oldestOffline: Entry | undefined;
  #newestOffline: Entry | undefined;
  #online = 0;
  #folded = 0;

  constructor(options: WorkerStatsOptions) {
    this.#maxWorkers = Math.max(1, Math.floor(options.maxWorkers));
    this.#offlineTtlMs = options.offlineTtlMs;
    this.#hashesPerDifficulty = options.hashesPerDifficulty;
    this.#now = options.now ?? Date.now;
  }

  /** A connection of worker `name` logged in. Returns the record to report its shares with. */
  connect(name: string): WorkerRecord {
    const now = this.#now();
    const key = cutName(name);
    let entry = key === OVERFLOW_WORKER ? this.#overflow : this.#byName.get(key);
    if (entry === undefined) {
      if (this.#byName.size >= this.#maxWorkers) {
        // `(other)` is outside the cap, so evicting it would free nothing.
        let victim = this.#oldestOffline;
        if (victim === this.#overflow) victim = victim?.nextOffline;
        if (victim !== undefined) {
          this.#remove(victim);
        } else {
          this.#folded++;
          entry = this.#overflow ?? this.#create(OVERFLOW_WORKER, now);
        }
      }
      entry ??= this.#create(key, now);
    }
    if (entry.connections === 0) {
      this.#unlinkOffline(entry);
      this.#online++;
    }
    entry.connections++;
    this.#touch(entry, now);
    return entry;
  }

  /** A connection of the worker closed; at zero connections the worker is offline from now. */
  disconnect(record: WorkerRecord): void {
    const entry = record as Entry;
    if (entry.connections === 0) return;
    entry.connections--;
    if (entry.removed) return;
    if (entry.connections === 0) this.#online--;
    // At zero connections this also appends the worker to the offline list.
    this.#touch(entry, this.#now());
  }

  /** Counts a share; accepted difficulty feeds the hashrate windows. O(1). */
  share(record: WorkerRecord, result: ShareResult, difficulty: number): void {
    const entry = record as Entry;
    const now = this.#now();
    // A switch keeps the property access monomorphic on this hot path.
    switch (result) {
      case 'accepted':
        entry.accepted++;
        break;
      case 'rejected':
        entry.rejected++;
        break;
      case 'invalid':
        entry.invalid++;
        break;
      default:
        entry.stale++;
    }
    entry.lastShareAt = now;
    if (result === 'accepted' && difficulty > 0 && Number.isFinite(difficulty)) {
      this.#advance(entry, now);
      const hashes = difficulty * this.#hashesPerDifficulty;
      entry.buckets ??= new Float64Array(MINUTE_BUCKETS + TEN_S_BUCKETS);
      const buckets = entry.buckets;
      const minute = entry.minuteHead % MINUTE_BUCKETS;
      const ten = MINUTE_BUCKETS + (entry.tenHead % TEN_S_BUCKETS);
      buckets[minute] = (buckets[minute] as number) + hashes;
      buckets[ten] = (buckets[ten] as number) + hashes;
    }
    if (!entry.removed) this.#touch(entry, now);
  }

  /** A snapshot of one worker, or undefined if it is not (or no longer) in the table. */
  get(name: string): WorkerSnapshot | undefined {
    const key = cutName(name);
    const entry = key === OVERFLOW_WORKER ? this.#overflow : this.#byName.get(key);
    return entry === undefined ? undefined : this.#snapshot(entry, this.#now());
  }

  /** Snapshots, most recently active first. O(offset + limit). */
  list(options: { limit?: number; offset?: number } = {}): WorkerSnapshot[] {
    const offset = Math.max(0, options.offset ?? 0);
    const limit = Math.max(0, options.limit ?? Number.POSITIVE_INFINITY);
    const now = this.#now();
    const out: WorkerSnapshot[] = [];
    let entry = this.#newest;
    for (let skipped = 0; entry !== undefined && skipped < offset; skipped++) entry = entry.older;
    for (; entry !== undefined && out.length < limit; entry = entry.older) {
      out.push(this.#snapshot(entry, now));
    }
    return out;
  }

  /** Removes offline workers not seen for `offlineTtlMs`; returns how many. O(removed). */
  sweep(): number {
    const cutoff = this.#now() - this.#offlineTtlMs;
    let removed = 0;
    while (this.#oldestOffline !== undefined && this.#oldestOffline.lastSeenAt <= cutoff) {
      this.#remove(this.#oldestOffline);
      removed++;
    }
    return removed;
  }

  /** Records in the table, `(other)` included. */
  get size(): number {
    return this.#byName.size + (this.#overflow === undefined ? 0 : 1);
  }

  /** Workers with at least one open connection. */
  get online(): number {
    return this.#online;
  }

  /** Connections counted in `(other)` because the table was full of online workers (cumulative). */
  get folded(): number {
    return this.#folded;
  }

  #create(name: string, now: number): Entry {
    const entry = new Entry(name, now);
    if (name === OVERFLOW_WORKER) this.#overflow = entry;
    else this.#byName.set(name, entry);
    return entry;
  }

  #remove(entry: Entry): void {
    this.#unlinkOffline(entry);
    this.#unlinkRecent(entry);
    if (entry === this.#overflow) this.#overflow = undefined;
    else this.#byName.delete(entry.name);
    if (entry.connections > 0) this.#online--;
    entry.removed = true;
  }

  /** Marks activity: newest in the recent list, and last in the offline list if offline. */
  #touch(entry: Entry, now: number): void {
    if (now > entry.lastSeenAt) entry.lastSeenAt = now;
    if (this.#newest !== entry) {
      this.#unlinkRecent(entry);
      entry.older = this.#newest;
      if (this.#newest !== undefined) this.#newest.newer = entry;
      this.#newest = entry;
      this.#oldest ??= entry;
    }
    if (entry.connections === 0 && this.#newestOffline !== entry) {
      this.#unlinkOffline(entry);
      this.#linkOffline(entry);
    }
  }

  #unlinkRecent(entry: Entry): void {
    if (entry.newer !== undefined) entry.newer.older = entry.older;
    else if (this.#newest === entry) this.#newest = entry.older;
    if (entry.older !== undefined) entry.older.newer = entry.newer;
    else if (this.#oldest === entry) this.#oldest = entry.newer;
    entry.newer = undefined;
    entry.older = undefined;
  }

  #linkOffline(entry: Entry): void {
    entry.prevOffline = this.#newestOffline;
    entry.nextOffline = undefined;
    if (this.#newestOffline !== undefined) this.#newestOffline.nextOffline = entry;
    else this.#oldestOffline = entry;
    this.#newestOffline = entry;
  }

  #unlinkOffline(entry: Entry): void {
    const inList = entry.prevOffline !== undefined || this.#oldestOffline === entry;
    if (!inList) return;
    if (entry.prevOffline !== undefined) entry.prevOffline.nextOffline = entry.nextOffline;
    else this.#oldestOffline = entry.nextOffline;
    if (entry.nextOffline !== undefined) entry.nextOffline.prevOffline = entry.prevOffline;
    else this.#newestOffline = entry.prevOffline;
    entry.prevOffline = undefined;
    entry.nextOffline = undefined;
  }

  /** Rolls both bucket rings forward to `now`, zeroing buckets that left their window. */
  #advance(entry: Entry, now: number): void {
    const minute = Math.floor(now / MINUTE_MS);
    const buckets = entry.buckets;
    if (buckets === undefined) {
      // Nothing to roll: just keep the heads current for the first share.
      entry.minuteHead = Math.max(entry.minuteHead, minute);
      entry.tenHead = Math.max(entry.tenHead, Math.floor(now / TEN_S_MS));
      return;
    }
    if (minute > entry.minuteHead) {
      roll(buckets, 0, MINUTE_BUCKETS, entry.minuteHead, minute);
      entry.minuteHead = minute;
    }
    const ten = Math.floor(now / TEN_S_MS);
    if (ten > entry.tenHead) {
      roll(buckets, MINUTE_BUCKETS, TEN_S_BUCKETS, entry.tenHead, ten);
      entry.tenHead = ten;
    }
  }

  #snapshot(entry: Entry, now: number): WorkerSnapshot {
    this.#advance(entry, now);
    const snapshot: WorkerSnapshot = {
      name: entry.name,
      connections: entry.connections,
      accepted: entry.accepted,
      rejected: entry.rejected,
      invalid: entry.invalid,
      stale: entry.stale,
      hashrate1m: rate(entry, now, MINUTE_BUCKETS, TEN_S_BUCKETS, TEN_S_MS, entry.tenHead),
      hashrate10m: rate(entry, now, 0, 10, MINUTE_MS, entry.minuteHead),
      hashrate1h: rate(entry, now, 0, MINUTE_BUCKETS, MINUTE_MS, entry.minuteHead),
      firstSeenAt: entry.firstSeenAt,
      lastSeenAt: entry.lastSeenAt,
    };
    if (entry.lastShareAt !== 0) snapshot.lastShareAt = entry.lastShareAt;
    return snapshot;
  }
}

/**
 * Accepted hashes over the newest `count` buckets of a ring ÷ the time they cover: the partial
 * current bucket plus `count − 1` full ones. A worker younger than the window is divided by
 * its age instead (at least ten seconds), so a fresh worker is not shown at a fraction of its rate.
 */
function rate(
  entry: Entry,
  now: number,
  offset: number,
  count: number,
  bucketMs: number,
  head: number,
): number {
  const buckets = entry.buckets;
  if (buckets === undefined) return 0;
  const ringLength = offset === 0 ? MINUTE_BUCKETS : TEN_S_BUCKETS;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += buckets[offset + ((((head - i) % ringLength) + ringLength) % ringLength)] as number;
  }
  if (sum === 0) return 0;
  const windowMs = (count - 1) * bucketMs + Math.max(0, now - head * bucketMs);
  const ageMs = Math.max(TEN_S_MS, now - entry.firstSeenAt);
  return (sum * 1000) / Math.min(windowMs, ageMs);
}
