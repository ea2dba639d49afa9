import type { HealthReport, MinerEvent, Sample } from '../adapter/sample.js';
import type { MinerState } from '../lifecycle/transitions.js';
import type { LogEntry } from '../logs/log-ring.js';
import type { PressureEvent } from '../monitor/resource-monitor.js';
import type { SessionRecord } from '../session/session-record.js';

/** Machine-readable reasons for a restart. */
export type RestartReason =
  | 'exit'
  | 'spawn-failed'
  | 'start-timeout'
  | 'probe-timeout'
  | 'unhealthy'
  | 'stall'
  | 'drop'
  | 'overheat'
  | 'manual';

/** Every event the manager emits, by type. */
export interface RigkitEvents {
  'miner.created': { minerId: string; kind: string; name: string; time: number };
  'miner.removed': { minerId: string; time: number };
  'miner.state': {
    minerId: string;
    from: MinerState;
    to: MinerState;
    generation: number;
    /** Why, e.g. `exit`, `stall`, `crash-loop`, `user`. */
    reason: string;
    time: number;
  };
  'miner.sample': { minerId: string; sample: Sample };
  'miner.sample.error': { minerId: string; code: string; message: string; time: number };
  'miner.log': { minerId: string; entry: LogEntry; event?: MinerEvent };
  'miner.health': {
    minerId: string;
    healthy: boolean;
    consecutiveFailures: number;
    report?: HealthReport;
    /** Error code when the probe failed (e.g. `E_API_TIMEOUT`). */
    code?: string;
    time: number;
  };
  'miner.restart': {
    minerId: string;
    reason: RestartReason;
    /** Restart number within the crash-loop window; 0 for a manual restart. */
    attempt: number;
    delayMs: number;
    time: number;
  };
  'miner.session': { minerId: string; phase: 'start' | 'end'; session: SessionRecord };
  /** The temperature guard acted: why, on which device, at what temperature. */
  'miner.guard': {
    minerId: string;
    action: 'pause' | 'resume' | 'stop';
    reason: 'overheat' | 'cooled';
    device: string;
    temperatureC: number;
    limitC: number;
    time: number;
  };
  'monitor.pressure': PressureEvent;
  /** A miner finished its login/subscribe handshake on a stratum proxy. */
  'proxy.worker.connected': {
    minerId: string;
    /** The worker name the miner logged in with (never its password). */
    worker: string;
    /** The miner's IP address. */
    address: string;
    connectionId: number;
    time: number;
  };
  /** A logged-in miner's connection to a stratum proxy ended. */
  'proxy.worker.disconnected': {
    minerId: string;
    worker: string;
    address: string;
    connectionId: number;
    /** e.g. `closed`, `idle`, `slow-reader`, `message-too-large`, `rate-limit`, `shutdown`. */
    reason: string;
    time: number;
  };
  /** A stratum proxy's connection to a pool is logged in and has a job. */
  'proxy.upstream.up': { minerId: string; upstreamId: number; pool: string; time: number };
  /** A stratum proxy's connection to a pool ended. */
  'proxy.upstream.down': {
    minerId: string;
    upstreamId: number;
    pool: string;
    reason: string;
    time: number;
  };
  /** A stratum proxy moved from one pool of its failover list to another. */
  'proxy.upstream.failover': {
    minerId: string;
    from: string;
    to: string;
    /** `failure` (the current pool failed) or `primary` (the primary is back). */
    reason: 'failure' | 'primary';
    time: number;
  };
}

export type RigkitEventType = keyof RigkitEvents;

/** Events an adapter may emit through {@link AdapterContext.emit} (the stratum proxy's). */
export type AdapterEventType = Extract<RigkitEventType, `proxy.${string}`>;

/** What an adapter passes to `emit`: the event without the fields core fills in. */
export type AdapterEventPayload<T extends AdapterEventType> = Omit<
  RigkitEvents[T],
  'minerId' | 'time'
>;
