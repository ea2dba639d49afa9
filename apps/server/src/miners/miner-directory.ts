import type { MinerDto } from '@rigkit/client';
import { type Manager, type Miner, MinerNotFoundError } from '@rigkit/core';
import type { ServerStore, StoredMiner } from '../store/server-store.js';

/**
 * The server's view of miners: the core `Miner` plus what the server adds (display name,
 * autostart, the definition to persist). Bounded by the manager's `maxMiners`.
 */
export class MinerDirectory {
  readonly #manager: Manager;
  readonly #store: ServerStore | undefined;
  readonly #definitions = new Map<string, StoredMiner>();

  constructor(manager: Manager, store: ServerStore | undefined) {
    this.#manager = manager;
    this.#store = store;
  }

  /** Creates the miner in the manager and persists its definition. */
  async create(definition: Omit<StoredMiner, 'id'> & { id?: string | undefined }): Promise<Miner> {
    const miner = await this.#manager.create({
      kind: definition.kind,
      name: definition.name,
      options: definition.options,
      ...(definition.id === undefined ? {} : { id: definition.id }),
      ...(definition.supervision === undefined ? {} : { supervision: definition.supervision }),
    });
    const stored: StoredMiner = { ...definition, id: miner.id };
    try {
      await this.#store?.saveMiner(stored);
    } catch (error) {
      await this.#manager.remove(miner.id); // nothing half-created
      throw error;
    }
    this.#definitions.set(miner.id, stored);
    return miner;
  }

  /** Restores a persisted miner at start-up (already in the store). */
  async restore(stored: StoredMiner): Promise<Miner> {
    const miner = await this.#manager.create({
      kind: stored.kind,
      name: stored.name,
      options: stored.options,
      id: stored.id,
      ...(stored.supervision === undefined ? {} : { supervision: stored.supervision }),
    });
    this.#definitions.set(miner.id, stored);
    return miner;
  }

  get(id: string): Miner {
    return this.#manager.get(id);
  }

  definition(id: string): StoredMiner {
    const d = this.#definitions.get(id);
    if (!d) throw new MinerNotFoundError(id);
    return d;
  }

  async update(
    id: string,
    patch: { name?: string | undefined; autostart?: boolean | undefined },
  ): Promise<void> {
    const current = this.definition(id);
    const next: StoredMiner = {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.autostart === undefined ? {} : { autostart: patch.autostart }),
    };
    await this.#store?.saveMiner(next);
    this.#definitions.set(id, next);
  }

  async remove(id: string): Promise<void> {
    await this.#manager.remove(id);
    this.#definitions.delete(id);
    await this.#store?.deleteMiner(id);
  }

  list(): Miner[] {
    return this.#manager.list();
  }

  autostartIds(): string[] {
    return [...this.#definitions.values()].filter((d) => d.autostart).map((d) => d.id);
  }

  /** The API shape of a miner: never its options (they may hold pool passwords). */
  toDto(miner: Miner): MinerDto {
    const info = miner.info();
    const definition = this.#definitions.get(miner.id);
    return {
      id: info.id,
      kind: info.kind,
      name: definition?.name ?? info.name,
      state: info.state,
      autostart: definition?.autostart ?? false,
      generation: info.generation,
      pid: info.pid ?? null,
      startedAt: info.startedAt ?? null,
      recentRestarts: info.recentRestarts,
      lastExit: info.lastExit
        ? { code: info.lastExit.code, signal: info.lastExit.signal, time: info.lastExit.time }
        : null,
      lastSample: info.lastSample
        ? { ...info.lastSample, hashrate: info.lastSample.hashrate ?? null }
        : null,
      paused: info.paused,
    };
  }
}
