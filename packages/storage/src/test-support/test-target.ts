import { createHook } from 'node:async_hooks';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { StorageOptions, StorageSettings } from '../storage/storage-options.js';

/** The two databases every storage test runs against. */
export const TARGET_KINDS = ['memory', 'file'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A fixed, hour-aligned start for fake clocks (2023-11-14T22:00:00Z). */
export const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000);

/** A clock tests move by hand. */
export class FakeClock {
  time: number;
  constructor(start = T0) {
    this.time = start;
  }
  readonly now = (): number => this.time;
  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }
}

/**
 * One test database, reopenable: a file in a temp dir, or an in-memory database kept alive by
 * a shared handle (each storage gets a non-closing view of it through `SqliteDialect`).
 */
export class TestTarget {
  readonly kind: TargetKind;
  readonly #dir: string | undefined;
  readonly #memory: Database.Database | undefined;
  readonly #handles: Database.Database[] = [];

  constructor(kind: TargetKind) {
    this.kind = kind;
    if (kind === 'file') this.#dir = mkdtempSync(join(tmpdir(), 'rigkit-storage-'));
    else this.#memory = new Database(':memory:');
  }

  /** The database file (`:memory:` for the in-memory target). */
  get path(): string {
    return this.#dir === undefined ? ':memory:' : join(this.#dir, 'rigkit.db');
  }

  /** A sibling path in the temp dir (file target only). */
  sibling(name: string): string {
    if (this.#dir === undefined) throw new Error('memory target has no directory');
    return join(this.#dir, name);
  }

  /** Options that open this target's database, every time the same one. */
  options(settings: StorageSettings = {}): StorageOptions {
    const quiet: StorageSettings = { maintenance: { enabled: false, ...settings.maintenance } };
    if (this.#memory === undefined) return { ...settings, ...quiet, file: this.path };
    return {
      ...settings,
      ...quiet,
      dialect: new SqliteDialect({ database: nonClosing(this.#memory) }),
    };
  }

  /**
   * Options over a handle the test holds, to break the storage's own connection
   * (`query_only`, closing it) — plus that handle.
   */
  withHandle(settings: StorageSettings = {}): {
    options: StorageOptions;
    handle: Database.Database;
  } {
    const handle = this.#memory ?? this.handle();
    const quiet: StorageSettings = { maintenance: { enabled: false, ...settings.maintenance } };
    return {
      options: {
        ...settings,
        ...quiet,
        dialect: new SqliteDialect({ database: nonClosing(handle) }),
      },
      handle,
    };
  }

  /** A second connection to the same database, closed by {@link TestTarget.dispose}. */
  handle(): Database.Database {
    if (this.#memory !== undefined) return this.#memory;
    const handle = new Database(this.path);
    this.#handles.push(handle);
    return handle;
  }

  dispose(): void {
    for (const handle of this.#handles) handle.close();
    this.#memory?.close();
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** A view of `handle` whose `close()` does nothing, so the test decides when it closes. */
function nonClosing(handle: Database.Database) {
  return {
    close() {},
    prepare: (sql: string) => handle.prepare(sql),
  };
}

/** Active handles by type plus open file descriptors (Linux). */
export function resourceSnapshot(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  try {
    counts.fd = readdirSync('/proc/self/fd').length - 1;
  } catch {
    // Not Linux: handles only.
  }
  return counts;
}

/**
 * Resolves to what is still above `baseline`, after letting the event loop settle: libuv
 * releases closed handles a turn or two after their close. Polls with setImmediate (no timer
 * of its own) for at most `turns` loop turns.
 */
export async function leftAbove(
  baseline: Record<string, number>,
  turns = 200,
): Promise<Record<string, number>> {
  let grown: Record<string, number> = {};
  for (let turn = 0; turn < turns; turn += 1) {
    grown = {};
    for (const [type, count] of Object.entries(resourceSnapshot())) {
      const delta = count - (baseline[type] ?? 0);
      if (delta > 0) grown[type] = delta;
    }
    if (Object.keys(grown).length === 0) return grown;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return grown;
}

/** Handle types a leak check follows: timers, immediates, sockets, servers, child processes. */
const TRACKED = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'PIPEWRAP',
  'PROCESSWRAP',
  'FSEVENTWRAP',
]);

/**
 * Follows every timer, immediate, socket and child process created from now on (async_hooks)
 * until it is destroyed. More precise than comparing `getActiveResourcesInfo()` counts, which
 * unrelated timers of the test runner can move either way.
 */
export function trackHandles(): {
  alive(): Record<string, number>;
  /** Stops following new handles (the check's own immediates); destroys are still seen. */
  pause(): void;
  stop(): void;
} {
  const alive = new Map<number, string>();
  let following = true;
  const hook = createHook({
    init(asyncId, type) {
      if (following && TRACKED.has(type)) alive.set(asyncId, type);
    },
    destroy(asyncId) {
      alive.delete(asyncId);
    },
  }).enable();
  return {
    alive() {
      const counts: Record<string, number> = {};
      for (const type of alive.values()) counts[type] = (counts[type] ?? 0) + 1;
      return counts;
    },
    pause: () => {
      following = false;
    },
    stop: () => hook.disable(),
  };
}
