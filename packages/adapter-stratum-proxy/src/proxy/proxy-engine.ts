import type {
  DownstreamConnection,
  DownstreamHandler,
} from '../downstream/downstream-connection.js';

/** One upstream as the proxy's stats show it. */
export interface UpstreamInfo {
  id: number;
  pool: string | undefined;
  up: boolean;
  miners: number;
  /** Requests awaiting the pool's reply. */
  pending: number;
}

/** A protocol × mode: makes sessions for miners and owns the upstreams they use. */
export interface ProxyEngine {
  /** Makes the session of a new miner connection. */
  accept(connection: DownstreamConnection): DownstreamHandler;
  /** Opens what must be open before miners arrive (aggregate mode: one warm upstream). */
  start(): void;
  /** Periodic work: expire pool requests, close idle upstreams, keepalives. */
  tick(now: number): void;
  upstreams(): UpstreamInfo[];
  /** How many upstreams exist and how many are logged in, without listing them. */
  upstreamCounts(): { active: number; total: number };
  /** The primary pool is back: move upstreams to it. */
  returnToPrimary(): void;
  /** Closes every upstream; sessions are closed by the downstream server. */
  stop(): void;
}
