import type { AdapterEventPayload, AdapterEventType, Logger } from '@rigkit/core';
import type {
  CloseReason,
  DownstreamConnection,
  TrafficCounters,
} from '../downstream/downstream-connection.js';
import type { ProxyOptions } from '../options/proxy-options.js';
import type { ShareResult, WorkerRecord, WorkerStats } from '../stats/worker-stats.js';
import type { PoolSelector } from '../upstream/pool-selector.js';

/** Share counters of the whole proxy, by result. */
export interface ShareTotals {
  accepted: number;
  rejected: number;
  invalid: number;
  stale: number;
}

/** What every part of one running proxy shares. */
export interface ProxyContext {
  readonly options: ProxyOptions;
  readonly logger: Logger;
  readonly now: () => number;
  readonly workers: WorkerStats;
  readonly selector: PoolSelector;
  readonly traffic: TrafficCounters;
  readonly shares: ShareTotals;
  /** Upstream traffic (bytes); downstream traffic is in {@link traffic}. */
  readonly upstreamTraffic: { bytesIn: number; bytesOut: number };
  emit<T extends AdapterEventType>(type: T, payload: AdapterEventPayload<T>): void;
  /**
   * A miner finished its handshake as `name`: marks the connection logged in, counts the
   * worker online and emits `proxy.worker.connected`. Returns the record shares are counted on.
   */
  workerJoined(connection: DownstreamConnection, name: string): WorkerRecord;
  /** The logged-in miner's connection ended: the worker's counters and the event. */
  workerLeft(
    connection: DownstreamConnection,
    worker: WorkerRecord,
    name: string,
    reason: CloseReason,
  ): void;
  /** Counts one share for its worker and the proxy totals. */
  recordShare(worker: WorkerRecord, result: ShareResult, difficulty: number): void;
  /** Set once `stop()` began: nothing reconnects after it. */
  readonly stopping: boolean;
}
