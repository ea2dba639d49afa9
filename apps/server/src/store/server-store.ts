import type { HistorySink } from '@rigkit/core';

/** A miner definition as the server persists it (options may hold secrets: never logged). */
export interface StoredMiner {
  id: string;
  kind: string;
  name: string;
  options: Record<string, unknown>;
  autostart: boolean;
  supervision?: Record<string, unknown> | undefined;
}

export interface StoredHistory {
  resolution: string;
  points: Array<{
    time: number;
    hashrate: number | null;
    min?: number | null;
    max?: number | null;
  }>;
}

export interface StoredSession {
  id: string;
  minerId: string;
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  endReason: string | null;
  restartAttempt: number;
  sharesAccepted: number;
  sharesRejected: number;
  avgHashrate: number | null;
}

/**
 * What the server needs from long-term storage. `@rigkit/storage` provides it; without a
 * store the server keeps miners in memory and serves history from core's rings.
 */
export interface ServerStore {
  readonly sink: HistorySink;
  listMiners(): Promise<StoredMiner[]>;
  saveMiner(miner: StoredMiner): Promise<void>;
  deleteMiner(id: string): Promise<void>;
  history(minerId: string, from: number, to: number, maxPoints: number): Promise<StoredHistory>;
  sessions(minerId: string, limit: number, before: number | undefined): Promise<StoredSession[]>;
  /** True when a write would succeed now (for `/ready`). */
  writable(): Promise<boolean>;
  droppedSamples(): number;
  close(): Promise<void>;
}
