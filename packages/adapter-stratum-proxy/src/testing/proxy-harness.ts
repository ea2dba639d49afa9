import type { AdapterEventPayload, AdapterEventType, Logger } from '@rigkit/core';
import type { ProxyOptionsInput } from '../options/proxy-options.js';
import { StratumProxy } from '../proxy/stratum-proxy.js';
import { WAIT_MS } from './line-client.js';

/** One event a proxy emitted. */
export interface RecordedEvent {
  type: AdapterEventType;
  payload: Record<string, unknown>;
}

/**
 * Records a proxy's `proxy.*` events and lets a test await one (already emitted or to come),
 * instead of sleeping.
 */
export class EventRecorder {
  readonly events: RecordedEvent[] = [];
  readonly #waiters = new Set<{
    type: AdapterEventType;
    match: (payload: Record<string, unknown>) => boolean;
    resolve: (payload: Record<string, unknown>) => void;
  }>();

  /** Pass as the proxy's `emit`. */
  readonly emit = <T extends AdapterEventType>(type: T, payload: AdapterEventPayload<T>): void => {
    const record = payload as unknown as Record<string, unknown>;
    this.events.push({ type, payload: record });
    for (const waiter of [...this.#waiters]) {
      if (waiter.type === type && waiter.match(record)) {
        this.#waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  };

  /** Payloads of every event of `type` so far. */
  of(type: AdapterEventType): Record<string, unknown>[] {
    return this.events.filter((event) => event.type === type).map((event) => event.payload);
  }

  /**
   * Resolves with the first event of `type` matching `match`, counting from the `from`-th event
   * of that type (default 0: events already recorded count).
   */
  next(
    type: AdapterEventType,
    match: (payload: Record<string, unknown>) => boolean = () => true,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<Record<string, unknown>> {
    const seen = this.of(type)
      .slice(options.from ?? 0)
      .find(match);
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? WAIT_MS;
    return new Promise((resolve, reject) => {
      const waiter = {
        type,
        match,
        resolve: (payload: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(payload);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no ${type} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

/** A started proxy with its event recorder. */
export interface TestProxy {
  proxy: StratumProxy;
  events: EventRecorder;
  port: number;
}

/** Starts a proxy on a free port with an {@link EventRecorder}; the caller stops it. */
export async function startTestProxy(
  options: ProxyOptionsInput,
  deps: { logger?: Logger; now?: () => number } = {},
): Promise<TestProxy> {
  const events = new EventRecorder();
  const proxy = new StratumProxy(options, { ...deps, emit: events.emit });
  await proxy.start();
  return { proxy, events, port: proxy.port as number };
}

/**
 * Resolves once `check()` holds, polling every 10 ms; rejects after `timeoutMs`. Only for
 * counters that have no event of their own (a close the proxy saw, a miner's answered
 * shares); everything with an event or a callback is awaited through it instead.
 */
export function until(
  check: () => boolean,
  timeoutMs = WAIT_MS,
  label = 'condition',
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    const started = Date.now();
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`${label} not reached within ${timeoutMs} ms`));
      }
    }, 10);
  });
}
