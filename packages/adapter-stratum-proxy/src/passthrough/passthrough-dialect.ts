import type { ShareResult } from '../stats/worker-stats.js';
import type { PoolEntry } from '../upstream/pool-selector.js';
import type { JsonRpcId, JsonRpcMessage } from '../wire/json-rpc.js';

/** What the passthrough session needs to know about one protocol family. */
export interface PassthroughDialect {
  /** Methods a miner may send before the pool connection exists (they open it). */
  readonly opening: ReadonlySet<string>;
  /** Methods forwarded to the pool at all; others get an error reply. */
  readonly forwarded: ReadonlySet<string>;
  /** The share method. */
  readonly submit: string;
  /** Methods that keep an idle miner alive. */
  readonly keepalive: ReadonlySet<string>;
  /** Params as the pool should see them (the proxy's credentials, when configured). */
  rewrite(method: string, params: unknown, pool: PoolEntry): unknown;
  /** The worker name a login/authorize request carries, if this is one. */
  workerName(method: string, params: unknown): string | undefined;
  /** The login/authorize reply said yes. */
  loginAccepted(method: string, reply: JsonRpcMessage): boolean;
  /** How the pool judged a share. */
  shareResult(reply: JsonRpcMessage): ShareResult;
  /** The share difficulty announced by a pool message or reply, if it carries one. */
  difficulty(message: JsonRpcMessage): number | undefined;
  /** An error reply in the dialect. */
  errorLine(id: JsonRpcId, message: string, code?: string): string;
  /** The reply to a request sent before the opening one (CryptoNote: no login; V1: code 25). */
  notOpenedLine(id: JsonRpcId): string;
}
