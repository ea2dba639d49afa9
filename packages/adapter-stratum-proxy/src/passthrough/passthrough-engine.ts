import type {
  DownstreamConnection,
  DownstreamHandler,
} from '../downstream/downstream-connection.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import type { ProxyEngine, UpstreamInfo } from '../proxy/proxy-engine.js';
import type { UpstreamLink } from '../upstream/upstream-link.js';
import type { PassthroughDialect } from './passthrough-dialect.js';
import { PassthroughSession } from './passthrough-session.js';

/** Passthrough mode for either protocol: one pool connection per miner. */
export class PassthroughEngine implements ProxyEngine {
  readonly #ctx: ProxyContext;
  readonly #dialect: PassthroughDialect;
  readonly #links = new Set<UpstreamLink>();
  readonly #onLinkChange = (link: UpstreamLink, open: boolean): void => {
    if (open) this.#links.add(link);
    else this.#links.delete(link);
  };
  #nextLinkId = 1;

  constructor(ctx: ProxyContext, dialect: PassthroughDialect) {
    this.#ctx = ctx;
    this.#dialect = dialect;
  }

  accept(connection: DownstreamConnection): DownstreamHandler {
    return new PassthroughSession(
      this.#ctx,
      connection,
      this.#dialect,
      this.#nextLinkId++,
      this.#onLinkChange,
    );
  }

  start(): void {}

  tick(): void {
    for (const link of this.#links) link.sweep();
  }

  upstreamCounts(): { active: number; total: number } {
    let active = 0;
    for (const link of this.#links) if (link.up) active++;
    return { active, total: this.#links.size };
  }

  upstreams(): UpstreamInfo[] {
    return [...this.#links].map((link) => ({
      id: link.id,
      pool: link.pool?.target.display,
      up: link.up,
      miners: 1,
      pending: link.connection?.pending ?? 0,
    }));
  }

  /** Miners already on a backup pool stay there; new ones go to the primary. */
  returnToPrimary(): void {}

  stop(): void {
    for (const link of this.#links) link.stop();
    this.#links.clear();
  }
}
