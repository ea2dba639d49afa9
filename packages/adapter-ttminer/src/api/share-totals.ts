/** Totals from field `[2]` of a `miner_getstat1` answer. */
export interface ShareTotals {
  /** Total hashrate in H/s (TT-Miner reports H/s here, unlike Claymore's kH/s). */
  hashrate: number;
  accepted: number;
  rejected: number;
}

/**
 * Parses `"total;accepted;rejected"`. Returns `undefined` for anything that is not three
 * non-negative numbers, so a surprising answer is reported instead of becoming a zero.
 */
export function parseShareTotals(field: unknown): ShareTotals | undefined {
  if (typeof field !== 'string') return undefined;
  const parts = field.split(';');
  if (parts.length !== 3) return undefined;
  const [hashrate, accepted, rejected] = parts.map((part) =>
    part.trim() === '' ? Number.NaN : Number(part),
  );
  if (
    ![hashrate, accepted, rejected].every((n) => n !== undefined && Number.isFinite(n) && n >= 0)
  ) {
    return undefined;
  }
  return {
    hashrate: hashrate as number,
    accepted: accepted as number,
    rejected: rejected as number,
  };
}
