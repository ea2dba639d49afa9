/**
 * xmrig reports UINT64_MAX (18446744073709551615) as `diff_current` before the first job.
 * `JSON.parse` rounds that to 18446744073709552000, so anything at or above 2^64 − 1 after
 * parsing means "no difficulty yet".
 */
const NO_DIFFICULTY_THRESHOLD = 2 ** 64 - 1;

/** Returns the job difficulty, or `undefined` when xmrig has none yet or the value is unusable. */
export function parseDifficulty(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (value >= NO_DIFFICULTY_THRESHOLD) return undefined;
  return value;
}
