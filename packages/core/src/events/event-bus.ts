import { RigkitError } from '../errors/rigkit-error.js';
import type { Disposer } from '../scope/scope.js';

/** Options for {@link EventBus}. */
export interface EventBusOptions {
  /** Most listeners per event type (and for `onAny`). Default 100. */
  maxListeners?: number;
  /** Receives errors thrown by listeners: one bad subscriber never breaks the emitter. */
  onListenerError?: (error: unknown, type: string) => void;
}

type Listener<T> = (payload: T) => void;
type AnyListener<Events> = <K extends keyof Events & string>(type: K, payload: Events[K]) => void;

/**
 * A typed, synchronous event bus. `on()` returns a disposer; listener counts are bounded so a
 * subscriber that forgets to unsubscribe fails loudly (`E_LISTENER_LIMIT`) instead of leaking.
 */
export class EventBus<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();
  readonly #any = new Set<AnyListener<Events>>();
  readonly #max: number;
  readonly #onListenerError: (error: unknown, type: string) => void;

  constructor(options: EventBusOptions = {}) {
    this.#max = options.maxListeners ?? 100;
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Calls `listener` for every `type` event until the returned disposer is called. */
  on<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): Disposer {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    this.#assertRoom(set.size, type);
    const fn = listener as Listener<never>;
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.#listeners.get(type) === set) this.#listeners.delete(type);
    };
  }

  /** Like {@link on} but fires once. */
  once<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): Disposer {
    const off = this.on(type, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Calls `listener` for every event of every type (the server's WebSocket hub uses this). */
  onAny(listener: AnyListener<Events>): Disposer {
    this.#assertRoom(this.#any.size, '*');
    this.#any.add(listener);
    return () => {
      this.#any.delete(listener);
    };
  }

  /** Delivers `payload` to the listeners of `type`, then to `onAny` listeners. */
  emit<K extends keyof Events & string>(type: K, payload: Events[K]): void {
    const set = this.#listeners.get(type);
    if (set) {
      // Copy: a listener may unsubscribe (or subscribe) while we iterate.
      for (const listener of [...set])
        this.#call(() => (listener as Listener<Events[K]>)(payload), type);
    }
    if (this.#any.size > 0) {
      for (const listener of [...this.#any]) this.#call(() => listener(type, payload), type);
    }
  }

  /** Listeners of `type`, or of all types plus `onAny` when omitted. */
  listenerCount(type?: keyof Events & string): number {
    if (type !== undefined) return this.#listeners.get(type)?.size ?? 0;
    let total = this.#any.size;
    for (const set of this.#listeners.values()) total += set.size;
    return total;
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
    this.#any.clear();
  }

  #call(fn: () => void, type: string): void {
    try {
      fn();
    } catch (error) {
      this.#onListenerError(error, type);
    }
  }

  #assertRoom(size: number, type: string): void {
    if (size >= this.#max) {
      throw new RigkitError(
        'E_LISTENER_LIMIT',
        `more than ${this.#max} listeners for "${type}": a subscriber is probably not disposing`,
        { details: { type, max: this.#max } },
      );
    }
  }
}
