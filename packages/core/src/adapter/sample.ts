/** One device's reading (a GPU, or a CPU thread), keyed by a stable id. */
export interface DeviceRow {
  /** Stable across restarts: PCI bus id, GPU index as launched, or CPU thread index. */
  id: string;
  name?: string;
  /** H/s. */
  hashrate?: number;
  temperatureC?: number;
  fanPercent?: number;
  powerW?: number;
}

/** Share counters since the miner process started. */
export interface ShareCounts {
  accepted: number;
  rejected: number;
  stale?: number;
  invalid?: number;
}

/**
 * One reading of a miner. Every hashrate is in H/s (adapters convert). Fields a miner does not
 * report are left out rather than set to zero, so "unknown" never looks like "stalled".
 */
export interface Sample {
  /** When the reading was taken, ms since the epoch. */
  time: number;
  /** The best current hashrate (the shortest filled window), H/s. */
  hashrate: number | undefined;
  /** Hashrate over the miner's own 10 s / 60 s / 15 min windows, H/s. */
  hashrate10s?: number;
  hashrate60s?: number;
  hashrate15m?: number;
  shares?: ShareCounts;
  /** Current job difficulty. */
  difficulty?: number;
  pool?: string;
  algo?: string;
  uptimeSeconds?: number;
  devices?: DeviceRow[];
  /**
   * Adapter-specific readings with fixed names (snake_case), e.g. the stratum proxy's
   * `proxy_miners` or `proxy_bytes_in`. The set of names must not grow with input: the server
   * exports each as a metric label.
   */
  metrics?: Readonly<Record<string, number>>;
  /** Surprising values the adapter tolerated and reports instead of throwing. */
  warnings?: string[];
}

/** What a probe found out about a running miner. */
export interface HealthReport {
  /** The miner answers and works as expected. */
  healthy: boolean;
  /**
   * The miner has finished starting (its API answers). While `false`, the miner stays in
   * `starting`; when omitted, `healthy` decides.
   */
  ready?: boolean;
  /** Current hashrate, H/s, when the probe learned it (feeds stall detection). */
  hashrate?: number;
  /** Why the miner is unhealthy, for humans. Must not contain secrets. */
  message?: string;
}

/** A typed event parsed from one line of a miner's stdout/stderr. */
export interface MinerEvent {
  /** e.g. `share.accepted`, `share.rejected`, `job`, `pool.connected`, `speed`, `error`. */
  type: string;
  level?: 'debug' | 'info' | 'warn' | 'error';
  data?: Readonly<Record<string, unknown>>;
}
