import { type JsonValue, jsonUint64 } from './json-text.js';

/** UINT64_MAX: the benchmark's job difficulty, xmrig's "no difficulty yet". */
export const NO_DIFFICULTY = 0xffff_ffff_ffff_ffffn;

/** Most latencies kept for the median `ping` (xmrig keeps all of them; a simulator need not). */
const MAX_LATENCIES = 1024;

/**
 * The miner's view of its pool connection and its share results, like xmrig's `NetworkState`:
 * it feeds the `results` and `connection` objects of the summary and the `s`/`c` keys.
 *
 * Times are simulated milliseconds; latencies are real milliseconds (a round trip is not
 * scaled). `avg_time` is the connection time divided by the accepted shares, `ping` the median
 * latency of accepted shares, `hashes_total` the sum of accepted share difficulties, and `best`
 * the ten highest difficulties accepted results met — all as the fixtures show.
 */
export class NetworkState {
  pool = '';
  ip: string | null = null;
  tls: string | null = null;
  fingerprint: string | null = null;
  algo: string | null = null;
  diff = 0n;
  accepted = 0;
  rejected = 0;
  hashes = 0;
  failures = 0;
  active = false;
  readonly #best = Array.from({ length: 10 }, () => 0);
  readonly #latencies: number[] = [];
  #connectedAtMs: number | null = null;

  /** A pool accepted the login (or the benchmark started) at `nowMs`. */
  setActive(
    pool: string,
    ip: string | null,
    tls: string | null,
    fingerprint: string | null,
    nowMs: number,
  ): void {
    this.active = true;
    this.pool = pool;
    this.ip = ip;
    this.tls = tls;
    this.fingerprint = fingerprint;
    this.#connectedAtMs = nowMs;
  }

  /** A new job. */
  setJob(diff: bigint, algo: string | null): void {
    this.diff = diff;
    if (algo !== null) this.algo = algo;
  }

  /** The pool answered a submit. */
  addResult(accepted: boolean, diff: bigint, actualDiff: bigint, latencyMs: number): void {
    if (!accepted) {
      this.rejected++;
      return;
    }
    this.accepted++;
    this.hashes += Number(diff);
    if (this.#latencies.length >= MAX_LATENCIES) this.#latencies.shift();
    this.#latencies.push(Math.min(latencyMs, 0xffff));
    const value = Number(actualDiff);
    const last = this.#best.length - 1;
    if (value > (this.#best[last] as number)) {
      this.#best[last] = value;
      this.#best.sort((a, b) => b - a);
    }
  }

  /** The active connection ended (xmrig's `NetworkState::stop`). */
  stop(): void {
    this.active = false;
    this.diff = 0n;
    this.pool = '';
    this.ip = null;
    this.tls = null;
    this.fingerprint = null;
    this.failures++;
    this.#latencies.length = 0;
    this.#connectedAtMs = null;
  }

  /** Simulated ms since the connection was made (0 without one). */
  connectionMs(nowMs: number): number {
    return this.#connectedAtMs === null ? 0 : Math.max(0, Math.floor(nowMs - this.#connectedAtMs));
  }

  /** Median latency of accepted shares in ms (0 without any). */
  ping(): number {
    if (this.#latencies.length === 0) return 0;
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  }

  /** Connection time per accepted share, in ms. */
  avgTimeMs(nowMs: number): number {
    return this.accepted === 0 ? 0 : Math.floor(this.connectionMs(nowMs) / this.accepted);
  }

  best(): number[] {
    return [...this.#best];
  }

  /** The `results` object of `/2/summary` (`errorLog` adds v1's `error_log`). */
  resultsJson(nowMs: number, errorLog: boolean): JsonValue {
    const avg = this.avgTimeMs(nowMs);
    return {
      diff_current: jsonUint64(this.diff),
      shares_good: this.accepted,
      shares_total: this.accepted + this.rejected,
      avg_time: Math.floor(avg / 1000),
      avg_time_ms: avg,
      hashes_total: this.hashes,
      best: this.best(),
      ...(errorLog && { error_log: [] }),
    };
  }

  /** The `connection` object of `/2/summary` (`errorLog` adds v1's `error_log`). */
  connectionJson(nowMs: number, errorLog: boolean): JsonValue {
    const ms = this.connectionMs(nowMs);
    const avg = this.avgTimeMs(nowMs);
    return {
      pool: this.pool,
      ip: this.ip,
      uptime: Math.floor(ms / 1000),
      uptime_ms: ms,
      ping: this.ping(),
      failures: this.failures,
      tls: this.tls,
      'tls-fingerprint': this.fingerprint,
      algo: this.algo,
      diff: jsonUint64(this.diff),
      accepted: this.accepted,
      rejected: this.rejected,
      avg_time: Math.floor(avg / 1000),
      avg_time_ms: avg,
      hashes_total: this.hashes,
      ...(errorLog && { error_log: [] }),
    };
  }
}
