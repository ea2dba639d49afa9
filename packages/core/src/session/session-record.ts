/** Why a miner's run ended. */
export type SessionEndReason =
  | 'stopped'
  | 'restart'
  | 'exit'
  | 'spawn-failed'
  | 'start-timeout'
  | 'aborted'
  | 'probe-timeout'
  | 'unhealthy'
  | 'stall'
  | 'drop'
  | 'overheat'
  | 'removed'
  | 'unclean-shutdown';

/** One run of a miner, from start to end. Storage persists these; the manager emits them. */
export interface SessionRecord {
  /** Unique id of this run. */
  id: string;
  minerId: string;
  /** The miner's generation number for this run. */
  generation: number;
  startedAt: number;
  endedAt?: number;
  exitCode?: number | null;
  signal?: string | null;
  endReason?: SessionEndReason;
  /** Which automatic restart this run was (0 for a start by the user). */
  restartAttempt: number;
  /** Share counters at the end of the run (cumulative for the process). */
  shares: { accepted: number; rejected: number };
  /** Mean of the sampled hashrates during the run, H/s. */
  avgHashrate?: number;
  samples: number;
}
