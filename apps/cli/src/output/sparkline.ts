const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * Averages `values` into at most `width` buckets (a `null` bucket when it holds no number),
 * so a long series fits a terminal line.
 */
export function resample(values: readonly (number | null)[], width: number): (number | null)[] {
  const w = Math.max(1, Math.floor(width));
  if (values.length <= w) return [...values];
  const out: (number | null)[] = [];
  for (let b = 0; b < w; b++) {
    const start = Math.floor((b * values.length) / w);
    const end = Math.floor(((b + 1) * values.length) / w);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        sum += v;
        count += 1;
      }
    }
    out.push(count === 0 ? null : sum / count);
  }
  return out;
}

/**
 * A one-line chart of `values` with ▁▂▃▄▅▆▇█, scaled from the smallest to the largest value;
 * gaps (`null`) are blanks. A flat series is drawn at the bottom when it is 0, mid-height
 * otherwise. With `width`, the series is averaged down to that many characters first.
 */
export function sparkline(values: readonly (number | null)[], width?: number): string {
  const series = width === undefined ? [...values] : resample(values, width);
  const numbers = series.filter((v): v is number => v !== null && Number.isFinite(v));
  if (numbers.length === 0) return ' '.repeat(series.length);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const top = BARS.length - 1;
  return series
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (max === min) return v === 0 ? BARS[0] : BARS[3];
      return BARS[Math.round(((v - min) / (max - min)) * top)];
    })
    .join('');
}

/** Minimum, mean and maximum of the numbers in `values`; `null`s are skipped. */
export function summarize(
  values: readonly (number | null)[],
): { min: number; avg: number; max: number; count: number } | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
    count += 1;
  }
  return count === 0 ? undefined : { min, avg: sum / count, max, count };
}
