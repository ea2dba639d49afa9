import type {
  ShareFinder,
  ShareFinderContext,
  ShareFinderFactory,
  StratumV1Work,
} from '../ttminer/share-finder.js';
import { Sv1HashLoop } from './sv1-hash-loop.js';
import { prepareSv1Job } from './sv1-share.js';

/**
 * A {@link ShareFinder} for the TT-Miner simulator that hashes for real (SHA-256d on this CPU),
 * so a pool that verifies shares accepts them. Only useful at the tiny difficulties of a test
 * pool (difficulty 1 is 2^32 hashes). `setHashrate` caps real hashes per second; simulated GPU
 * hashrates are far above what one core does, so in practice it hashes as fast as node:crypto
 * allows, in slices between other event-loop work. The simulated clock is not used: real
 * hashing takes real time.
 */
export class Sha256dShareFinder implements ShareFinder {
  readonly #loop: Sv1HashLoop;
  #work: StratumV1Work | undefined;

  constructor(context: ShareFinderContext) {
    this.#loop = new Sv1HashLoop({
      hashesPerSecond: 0,
      onShare: (share) =>
        context.onShare({
          jobId: share.jobId,
          extranonce2: share.extranonce2,
          ntime: share.ntime,
          nonce: share.nonce,
        }),
    });
  }

  setWork(work: StratumV1Work | undefined): void {
    const old = this.#work;
    this.#work = work;
    if (
      work !== undefined &&
      old !== undefined &&
      work.job === old.job &&
      work.extranonce1 === old.extranonce1 &&
      work.extranonce2Size === old.extranonce2Size
    ) {
      // Only the difficulty changed: starting the nonces over would find the same shares again.
      this.#loop.setDifficulty(work.difficulty);
      return;
    }
    this.#loop.setWork(
      work && {
        job: prepareSv1Job(work.job),
        extranonce1: work.extranonce1,
        extranonce2Size: work.extranonce2Size,
        difficulty: work.difficulty,
      },
    );
  }

  setHashrate(hashesPerSecond: number): void {
    this.#loop.setHashesPerSecond(hashesPerSecond);
  }

  dispose(): void {
    this.#work = undefined;
    this.#loop.stop();
  }
}

/** Makes a {@link Sha256dShareFinder} (the TT-Miner simulator's `shareFinder` option). */
export const sha256dShareFinder: ShareFinderFactory = (context) => new Sha256dShareFinder(context);
