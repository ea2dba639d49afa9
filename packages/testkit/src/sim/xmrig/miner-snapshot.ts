import type { HashrateReading } from './hashrate-model.js';
import type { NetworkState } from './network-state.js';

/**
 * The state of the simulated miner at one moment: everything the HTTP API answers from. The
 * simulator builds it per request, so every answer agrees with what was printed.
 */
export interface MinerSnapshot {
  /** The instance id (16 hex digits, from the seed; `--api-id` replaces it). */
  id: string;
  /** `--api-worker-id`, or the host name. */
  workerId: string;
  /** Simulated seconds since start. */
  uptimeS: number;
  /** Simulated milliseconds since start (connection times are measured on this clock). */
  nowMs: number;
  restricted: boolean;
  /** The algorithm of the current job; `null` before the first one. */
  algo: string | null;
  donateLevel: number;
  paused: boolean;
  /** The CPU backend while it runs; `null` before it started (no job yet) or once stopped. */
  backend: {
    reading: HashrateReading;
    /** Highest 10 s total so far (xmrig's `max`). */
    highest: number;
    threads: number;
    priority: number;
    /** Huge pages allocated / wanted (xmrig: `[129, 129]`, or `[0, 129]` without huge pages). */
    hugePages: [number, number];
    /** Scratchpad memory of all threads, in bytes (2 MiB each for RandomX). */
    memory: number;
  } | null;
  network: NetworkState;
  resources: {
    free: number;
    total: number;
    rss: number;
    loadAverage: [number, number, number];
  };
}
