import { type FoundSv1Share, Sv1NonceSearch } from './find-sv1-share.js';
import type { PreparedSv1Job } from './sv1-share.js';

/** What a {@link Sv1HashLoop} hashes. */
export interface Sv1LoopWork {
  job: PreparedSv1Job;
  extranonce1: string;
  extranonce2Size: number;
  difficulty: number;
  /** The negotiated BIP 310 mask: each extranonce2 then rolls another version too. */
  versionMask?: number;
}

/** How a {@link Sv1HashLoop} runs. */
export interface Sv1HashLoopOptions {
  /** Each share found, in order. */
  onShare(share: FoundSv1Share): void;
  /** Hashes per event-loop turn (default 2000, about 10 ms). */
  sliceHashes?: number;
  /** Cap in hashes per second (default unlimited). */
  hashesPerSecond?: number;
}

const NONCE_SPACE = 2 ** 32;
const MAX_EXTRANONCE2 = 2 ** 48;

/**
 * Real SHA-256d mining in the background of the event loop: slices of `sliceHashes` hashes with
 * `setImmediate` between them (other I/O runs in between), optionally capped to
 * `hashesPerSecond` with a timer. Walks extranonce2 0, 1, 2, … (each with the full nonce space)
 * for the current work, starting over on new work. One immediate or timer at a time; `stop()`
 * releases it.
 */
export class Sv1HashLoop {
  readonly #options: Sv1HashLoopOptions;
  #work: Sv1LoopWork | undefined;
  #search: Sv1NonceSearch | undefined;
  #extranonce2 = 0;
  #nonce = 0;
  #limit: number | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rateStart = 0;
  #rateHashes = 0;
  /** Hashes done so far. */
  hashes = 0;

  constructor(options: Sv1HashLoopOptions) {
    this.#options = options;
    this.#limit = options.hashesPerSecond;
  }

  /** New work (from extranonce2 0, nonce 0), or `undefined`: pause. */
  setWork(work: Sv1LoopWork | undefined): void {
    this.#work = work;
    this.#extranonce2 = 0;
    this.#nonce = 0;
    this.#build();
  }

  /** A new difficulty for the same work: the nonce walk goes on. */
  setDifficulty(difficulty: number): void {
    if (this.#work) this.#work = { ...this.#work, difficulty };
    this.#search?.setDifficulty(difficulty);
  }

  /** A new cap (H/s; `undefined` or `Infinity`: none, 0: pause). */
  setHashesPerSecond(limit: number | undefined): void {
    this.#limit = limit;
    this.#cancel();
    this.#schedule();
  }

  /** Stops hashing and releases the timer (new work starts it again). */
  stop(): void {
    this.#work = undefined;
    this.#search = undefined;
    this.#cancel();
  }

  #build(): void {
    const work = this.#work;
    if (!work) {
      this.stop();
      return;
    }
    const counter = this.#extranonce2 % MAX_EXTRANONCE2;
    const size = work.extranonce2Size;
    const bytes = Math.min(size, 6);
    const extranonce2 = Buffer.alloc(size);
    extranonce2.writeUIntBE(counter % 2 ** (bytes * 8), size - bytes, bytes);
    const mask = work.versionMask;
    this.#search = new Sv1NonceSearch({
      job: work.job,
      extranonce1: work.extranonce1,
      extranonce2: extranonce2.toString('hex'),
      difficulty: work.difficulty,
      // Another version per extranonce2, so a pool's BIP 310 path is exercised.
      ...(mask === undefined || mask === 0
        ? {}
        : { versionBits: spreadOverMask(counter + 1, mask), versionMask: mask }),
    });
    this.#schedule();
  }

  #cancel(): void {
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    clearTimeout(this.#timer);
    this.#immediate = undefined;
    this.#timer = undefined;
    this.#rateStart = 0;
  }

  /** Hashes the cap allows now (Infinity without one). */
  #allowed(at: number): number {
    const limit = this.#limit;
    if (limit === undefined || !Number.isFinite(limit)) return Number.POSITIVE_INFINITY;
    return Math.floor((limit * (at - this.#rateStart)) / 1000) - this.#rateHashes;
  }

  #schedule(): void {
    if (this.#immediate !== undefined || this.#timer !== undefined) return;
    if (this.#search === undefined) return;
    const limit = this.#limit;
    if (limit !== undefined && Number.isFinite(limit)) {
      if (limit <= 0) return;
      // Wake up at most ~100 times a second, whatever the rate.
      const batch = Math.max(
        1,
        Math.min(this.#options.sliceHashes ?? 2000, Math.floor(limit / 100)),
      );
      const at = performance.now();
      if (this.#rateStart === 0) {
        this.#rateStart = at;
        this.#rateHashes = 0;
      }
      const allowed = this.#allowed(at);
      if (allowed > limit) {
        // Behind by over a second (a busy loop): do not catch up in one burst.
        this.#rateStart = at;
        this.#rateHashes = 0;
      } else if (allowed < batch) {
        const waitMs = ((this.#rateHashes + batch) * 1000) / limit - (at - this.#rateStart);
        this.#timer = setTimeout(
          () => {
            this.#timer = undefined;
            this.#schedule();
          },
          Math.max(1, Math.ceil(waitMs)),
        );
        return;
      }
    }
    this.#immediate = setImmediate(() => {
      this.#immediate = undefined;
      this.#slice();
    });
  }

  #slice(): void {
    const search = this.#search;
    if (search === undefined) return;
    let budget = Math.max(
      1,
      Math.min(this.#options.sliceHashes ?? 2000, this.#allowed(performance.now())),
    );
    while (budget > 0 && this.#search === search) {
      const nonce = search.search(this.#nonce, budget);
      const done = search.lastHashes;
      budget -= done;
      this.hashes += done;
      this.#rateHashes += done;
      this.#nonce = nonce >= 0 ? nonce + 1 : this.#nonce + done;
      // onShare may set new work or stop: the loop condition sees it.
      if (nonce >= 0) this.#options.onShare(search.share(nonce));
      if (this.#search === search && this.#nonce >= NONCE_SPACE) {
        this.#extranonce2 += 1;
        this.#nonce = 0;
        this.#build();
        return;
      }
      if (done === 0) break;
    }
    this.#schedule();
  }
}

/** The low bits of `value` placed into the set bits of `mask` (lowest first). */
export function spreadOverMask(value: number, mask: number): number {
  let result = 0;
  let rest = value;
  for (let bit = 0; bit < 32 && rest > 0; bit++) {
    if ((mask >>> bit) & 1) {
      if (rest & 1) result |= 1 << bit;
      rest = Math.floor(rest / 2);
    }
  }
  return result >>> 0;
}
