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

const SUFFIX: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * Parses a difficulty as xmrig prints it on stdout (`diff 100`, and a `K`/`M`/`G`/`T` suffix
 * for large ones), with the same "no difficulty yet" rule as {@link parseDifficulty}.
 */
export function parseDifficultyText(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([KMGT]?)$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = SUFFIX[(match[2] as string).toUpperCase()] as number;
  return parseDifficulty(Number(match[1]) * factor);
}
