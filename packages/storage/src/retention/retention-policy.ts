const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each table keeps its rows, ms. Every table that grows has a rule. */
export interface RetentionPolicy {
  /** Raw samples (`hashrate_samples`). Default 48 h. */
  raw: number;
  /** 1-minute roll-ups (`hashrate_1m`). Default 30 days. */
  minute: number;
  /** 1-hour roll-ups (`hashrate_1h`). Default 365 days. */
  hour: number;
  /** Ended sessions (`miner_sessions`), by end time; open ones are never deleted. Default 180 days. */
  sessions: number;
  /** Events (`events`). Default 30 days. */
  events: number;
  /** Removed miner definitions (`miners` with `removed_at`). Default 365 days. */
  removedMiners: number;
}

/** The default {@link RetentionPolicy}. */
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({
  raw: 48 * HOUR,
  minute: 30 * DAY,
  hour: 365 * DAY,
  sessions: 180 * DAY,
  events: 30 * DAY,
  removedMiners: 365 * DAY,
});
