import { RigkitError } from '../errors/rigkit-error.js';

/** Releases one resource early. Calling it twice is harmless. */
export type Disposer = () => void;

type Cleanup = () => void | PromiseLike<void>;

// biome-ignore lint/suspicious/noExplicitAny: emitter listeners take any arguments.
type AnyListener = (...args: any[]) => void;

/** Anything an EventEmitter-like object needs for {@link Scope.listen}. */
interface EmitterLike {
  on(event: string | symbol, listener: AnyListener): unknown;
  off(event: string | symbol, listener: AnyListener): unknown;
}

/** Options for {@link Scope}. */
export interface ScopeOptions {
  /** Receives errors thrown by timer callbacks and cleanups, which must not crash the process. */
  onError?: (error: unknown) => void;
}

/**
 * Owns timers, intervals, listeners, sockets, child processes and child scopes, and releases
 * them all on {@link Scope.dispose} (last registered, first released).
 *
 * Everything long-lived in Rigkit belongs to exactly one scope, so "stopped" can be checked:
 * a disposed scope holds nothing. A one-shot timer removes itself from the scope when it fires.
 */
export class Scope implements AsyncDisposable {
  readonly #cleanups = new Set<Cleanup>();
  readonly #controller = new AbortController();
  readonly #onError: (error: unknown) => void;
  #disposing: Promise<void> | undefined;

  constructor(options: ScopeOptions = {}) {
    this.#onError = options.onError ?? (() => {});
  }

  /** Aborted when the scope starts disposing; hand it to anything cancellable. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True once {@link dispose} has been called. */
  get disposed(): boolean {
    return this.#disposing !== undefined;
  }

  /** How many resources the scope holds now (a leak check in tests). */
  get size(): number {
    return this.#cleanups.size;
  }

  /**
   * Registers a cleanup to run on dispose. Returns a disposer that runs it early (once) and
   * forgets it. Throws `E_SCOPE_DISPOSED` on a disposed scope: the caller would leak otherwise.
   */
  defer(cleanup: Cleanup): Disposer {
    this.#assertOpen();
    let done = false;
    const run: Cleanup = () => {
      if (done) return;
      done = true;
      this.#cleanups.delete(run);
      return cleanup();
    };
    this.#cleanups.add(run);
    return () => {
      this.#settle(run);
    };
  }

  /** A one-shot timer owned by the scope. */
  setTimeout(callback: () => void, ms: number): Disposer {
    this.#assertOpen();
    const timer = setTimeout(() => {
      this.#cleanups.delete(cancel);
      this.#guard(callback);
    }, ms);
    const cancel: Cleanup = () => {
      clearTimeout(timer);
      this.#cleanups.delete(cancel);
    };
    this.#cleanups.add(cancel);
    return () => void cancel();
  }

  /** A repeating timer owned by the scope. */
  setInterval(callback: () => void, ms: number): Disposer {
    this.#assertOpen();
    const timer = setInterval(() => this.#guard(callback), ms);
    return this.defer(() => clearInterval(timer));
  }

  /** Adds `listener` to an EventEmitter or EventTarget and removes it on dispose. */
  listen<A extends unknown[]>(
    target: EmitterLike | EventTarget,
    event: string,
    listener: (...args: A) => void,
  ): Disposer {
    this.#assertOpen();
    const fn = listener as AnyListener;
    if (isEventTarget(target)) {
      target.addEventListener(event, fn);
      return this.defer(() => target.removeEventListener(event, fn));
    }
    target.on(event, fn);
    return this.defer(() => {
      target.off(event, fn);
    });
  }

  /**
   * Takes ownership of a resource with a dispose method (`Symbol.asyncDispose`,
   * `Symbol.dispose`, `close()` or `destroy()`) and returns it.
   */
  adopt<T extends object>(resource: T): T {
    const r = resource as Partial<AsyncDisposable & Disposable> & {
      close?: () => unknown;
      destroy?: () => unknown;
    };
    const release =
      typeof r[Symbol.asyncDispose] === 'function'
        ? () => r[Symbol.asyncDispose]?.()
        : typeof r[Symbol.dispose] === 'function'
          ? () => r[Symbol.dispose]?.()
          : typeof r.close === 'function'
            ? () => void r.close?.()
            : typeof r.destroy === 'function'
              ? () => void r.destroy?.()
              : undefined;
    if (!release) {
      throw new RigkitError(
        'E_SCOPE_INVALID',
        'adopt() needs a resource with a dispose, close or destroy method',
      );
    }
    this.defer(release);
    return resource;
  }

  /** A scope disposed together with this one (or earlier, on its own). */
  child(): Scope {
    const child = new Scope({ onError: this.#onError });
    const forget = this.defer(() => child.dispose());
    child.defer(forget);
    return child;
  }

  /**
   * Releases everything, last registered first. Errors are reported to `onError` and do not
   * stop the remaining cleanups. Calling it again returns the same promise.
   */
  dispose(): Promise<void> {
    this.#disposing ??= this.#disposeAll();
    return this.#disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async #disposeAll(): Promise<void> {
    this.#controller.abort(new RigkitError('E_SCOPE_DISPOSED', 'scope disposed'));
    // Nothing can be added once disposing has begun, so one reversed snapshot is complete.
    for (const cleanup of [...this.#cleanups].reverse()) {
      if (!this.#cleanups.has(cleanup)) continue; // released early by another cleanup
      try {
        await cleanup();
      } catch (error) {
        this.#onError(error);
      } finally {
        this.#cleanups.delete(cleanup);
      }
    }
  }

  #settle(run: Cleanup): void {
    try {
      const result = run();
      if (result && typeof result.then === 'function') result.then(undefined, this.#onError);
    } catch (error) {
      this.#onError(error);
    }
  }

  #guard(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#onError(error);
    }
  }

  #assertOpen(): void {
    if (this.#disposing)
      throw new RigkitError('E_SCOPE_DISPOSED', 'this scope is already disposed');
  }
}

function isEventTarget(target: EmitterLike | EventTarget): target is EventTarget {
  return typeof (target as EventTarget).addEventListener === 'function';
}
