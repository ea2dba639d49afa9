/** Why {@link ConnectionLimiter.tryAcquire} refused a connection, or `ok`. */
export type AcquireResult = 'ok' | 'global' | 'per-ip';

/** Limits for {@link ConnectionLimiter}. */
export interface ConnectionLimiterOptions {
  /** Connections allowed in total. */
  maxConnections: number;
  /** Connections allowed from one IP address. */
  maxPerIp: number;
}

/**
 * Counts open connections globally and per IP. The per-IP map holds only addresses with at
 * least one open connection, so it never has more than `maxConnections` entries.
 */
export class ConnectionLimiter {
  readonly #maxConnections: number;
  readonly #maxPerIp: number;
  readonly #perIp = new Map<string, number>();
  #size = 0;

  constructor(options: ConnectionLimiterOptions) {
    this.#maxConnections = options.maxConnections;
    this.#maxPerIp = options.maxPerIp;
  }

  /** Counts a new connection from `ip`, or says which limit refuses it (nothing is counted then). */
  tryAcquire(ip: string): AcquireResult {
    if (this.#size >= this.#maxConnections) return 'global';
    const count = this.#perIp.get(ip) ?? 0;
    if (count >= this.#maxPerIp) return 'per-ip';
    this.#perIp.set(ip, count + 1);
    this.#size++;
    return 'ok';
  }

  /** Uncounts a connection from `ip`. Unknown addresses are ignored, so counts never go negative. */
  release(ip: string): void {
    const count = this.#perIp.get(ip);
    if (count === undefined) return;
    if (count <= 1) this.#perIp.delete(ip);
    else this.#perIp.set(ip, count - 1);
    this.#size--;
  }

  /** Open connections from `ip`. */
  count(ip: string): number {
    return this.#perIp.get(ip) ?? 0;
  }

  /** Open connections in total. */
  get size(): number {
    return this.#size;
  }

  /** Distinct addresses with open connections. */
  get ips(): number {
    return this.#perIp.size;
  }
}
