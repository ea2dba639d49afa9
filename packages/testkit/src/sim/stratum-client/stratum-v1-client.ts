import { parseStratumV1Notify, type StratumV1Job } from '../ttminer/stratum-v1-job.js';
import {
  type ConnectStratumClientOptions,
  connectStratumClient,
  type StratumClient,
  type StratumClientClosed,
  type StratumNotification,
  type StratumRequestOptions,
} from './stratum-client.js';
import { StratumClientError, StratumReplyError } from './stratum-client-error.js';

/** The `mining.subscribe` result. */
export interface StratumV1Subscription {
  extranonce1: string;
  extranonce2Size: number;
  /** `[method, subscription id]` pairs, e.g. `["mining.notify", "ae68…"]`. */
  subscriptions: Array<[string, string]>;
}

/** A V1 error: `[code, message, data]`, e.g. `[23, "Low difficulty share", null]`. */
export type StratumV1Error = [number, string, unknown];

/** What a `mining.submit` came to. */
export interface StratumV1SubmitResult {
  accepted: boolean;
  /** The pool's error when refused with one (a `false` result carries none). */
  error?: StratumV1Error;
}

/** A `mining.notify`, its nine params by name (the simulators' job shape). */
export type StratumV1Notify = StratumV1Job;

/** A `client.reconnect`; every field is optional on the wire (empty = the same pool). */
export interface StratumV1Reconnect {
  host?: string;
  port?: number;
  waitSeconds?: number;
}

const isString = (value: unknown): value is string => typeof value === 'string';

function parseNotify(params: unknown): StratumV1Notify | undefined {
  const job = parseStratumV1Notify(params);
  return typeof job === 'string' ? undefined : job;
}

/**
 * Bitcoin Stratum V1 (`mining.*`) over a {@link StratumClient}, with the wire shapes of
 * `shared/fixtures/stratum/stratum-v1-examples.jsonl`. Keeps the latest extranonce and
 * difficulty the pool gave (subscribe, `mining.set_extranonce`, `mining.set_difficulty`).
 * (Not the TT-Miner simulator's `StratumV1Client`, which mines; this one is driven by a test.)
 */
export class BitcoinStratumClient {
  /** The underlying connection (raw requests, counters, `closed`). */
  readonly stratum: StratumClient;
  /** From `mining.subscribe`, then `mining.set_extranonce`. */
  extranonce1: string | undefined;
  extranonce2Size: number | undefined;
  /** From the latest `mining.set_difficulty`. */
  difficulty: number | undefined;

  constructor(stratum: StratumClient) {
    this.stratum = stratum;
    stratum.onNotification((message) => {
      if (message.method === 'mining.set_difficulty') {
        const difficulty = Array.isArray(message.params) ? message.params[0] : undefined;
        if (typeof difficulty === 'number') this.difficulty = difficulty;
      } else if (message.method === 'mining.set_extranonce') {
        const extranonce = parseExtranonce(message);
        if (extranonce) [this.extranonce1, this.extranonce2Size] = extranonce;
      }
    });
  }

  /** `mining.subscribe` with `[userAgent]` (or `[]`). Rejects with {@link StratumReplyError} on an error. */
  async subscribe(
    userAgent?: string,
    options?: StratumRequestOptions,
  ): Promise<StratumV1Subscription> {
    const result = await this.#call(
      'mining.subscribe',
      userAgent === undefined ? [] : [userAgent],
      options,
    );
    if (!Array.isArray(result) || !isString(result[1]) || typeof result[2] !== 'number') {
      throw badReply(
        'mining.subscribe',
        'the result is not [subscriptions, extranonce1, extranonce2_size]',
      );
    }
    const [raw, extranonce1, extranonce2Size] = result as [unknown, string, number];
    // Usually a list of pairs; some pools send one bare pair.
    const pairs = Array.isArray(raw) && raw.length === 2 && isString(raw[0]) ? [raw] : raw;
    const subscriptions = Array.isArray(pairs)
      ? pairs.filter(
          (pair): pair is [string, string] =>
            Array.isArray(pair) && isString(pair[0]) && isString(pair[1]),
        )
      : [];
    this.extranonce1 = extranonce1;
    this.extranonce2Size = extranonce2Size;
    return { extranonce1, extranonce2Size, subscriptions };
  }

  /** `mining.authorize`: true when authorised, false on a `false` result, a {@link StratumReplyError} on an error. */
  async authorize(user: string, pass: string, options?: StratumRequestOptions): Promise<boolean> {
    return (await this.#call('mining.authorize', [user, pass], options)) === true;
  }

  /**
   * `mining.configure` (BIP 310), e.g. `(["version-rolling"], { "version-rolling.mask": "1fffe000",
   * "version-rolling.min-bit-count": 2 })`; resolves with the pool's result object.
   */
  async configure(
    extensions: readonly string[],
    params: Record<string, unknown>,
    options?: StratumRequestOptions,
  ): Promise<Record<string, unknown>> {
    const result = await this.#call('mining.configure', [extensions, params], options);
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      throw badReply('mining.configure', 'the result is not an object');
    }
    return result as Record<string, unknown>;
  }

  /** `mining.extranonce.subscribe`: true when the pool will send `mining.set_extranonce`. */
  async extranonceSubscribe(options?: StratumRequestOptions): Promise<boolean> {
    return (await this.#call('mining.extranonce.subscribe', [], options)) === true;
  }

  /**
   * `mining.submit` `[worker, jobId, extranonce2, ntime, nonce(, versionBits)]`. Resolves with
   * `accepted: false` and the pool's error for a refused share; rejects only when no reply came.
   */
  async submit(
    worker: string,
    jobId: string,
    extranonce2: string,
    ntime: string,
    nonce: string,
    versionBits?: string,
    options?: StratumRequestOptions,
  ): Promise<StratumV1SubmitResult> {
    const tail = versionBits === undefined ? '' : `,${JSON.stringify(versionBits)}`;
    const reply = await this.stratum.requestRaw(
      'mining.submit',
      `[${JSON.stringify(worker)},${JSON.stringify(jobId)},${JSON.stringify(extranonce2)},` +
        `${JSON.stringify(ntime)},${JSON.stringify(nonce)}${tail}]`,
      options,
    );
    if (reply.error != null) {
      const error = reply.error;
      return {
        accepted: false,
        error: Array.isArray(error)
          ? [Number(error[0]), String(error[1]), error[2] ?? null]
          : [-1, String((error as { message?: unknown }).message ?? JSON.stringify(error)), null],
      };
    }
    return { accepted: reply.result === true };
  }

  /** Every well-formed `mining.notify`. Returns its disposer. */
  onNotify(listener: (job: StratumV1Notify) => void): () => void {
    return this.stratum.onNotification((message) => {
      if (message.method !== 'mining.notify') return;
      const job = parseNotify(message.params);
      if (job) listener(job);
    });
  }

  /** Every `mining.set_difficulty`. Returns its disposer. */
  onSetDifficulty(listener: (difficulty: number) => void): () => void {
    return this.stratum.onNotification((message) => {
      if (message.method !== 'mining.set_difficulty' || !Array.isArray(message.params)) return;
      const difficulty = message.params[0];
      if (typeof difficulty === 'number') listener(difficulty);
    });
  }

  /** Every `mining.set_extranonce`. Returns its disposer. */
  onSetExtranonce(listener: (extranonce1: string, extranonce2Size: number) => void): () => void {
    return this.stratum.onNotification((message) => {
      if (message.method !== 'mining.set_extranonce') return;
      const extranonce = parseExtranonce(message);
      if (extranonce) listener(extranonce[0], extranonce[1]);
    });
  }

  /** Every `client.reconnect`. Returns its disposer. */
  onReconnect(listener: (reconnect: StratumV1Reconnect) => void): () => void {
    return this.stratum.onNotification((message) => {
      if (message.method !== 'client.reconnect') return;
      const [host, port, waitSeconds] = Array.isArray(message.params) ? message.params : [];
      listener({
        ...(isString(host) && host !== '' ? { host } : {}),
        ...(typeof port === 'number' || (isString(port) && port !== '')
          ? { port: Number(port) }
          : {}),
        ...(typeof waitSeconds === 'number' ? { waitSeconds } : {}),
      });
    });
  }

  /** Closes the connection (see {@link StratumClient.close}). */
  close(): Promise<StratumClientClosed> {
    return this.stratum.close();
  }

  async #call(method: string, params: unknown, options?: StratumRequestOptions): Promise<unknown> {
    const reply = await this.stratum.request(method, params, options);
    if (reply.error != null) throw new StratumReplyError(method, reply.error);
    return reply.result;
  }
}

function parseExtranonce(message: StratumNotification): [string, number] | undefined {
  if (!Array.isArray(message.params)) return undefined;
  const [extranonce1, size] = message.params;
  return isString(extranonce1) && typeof size === 'number' ? [extranonce1, size] : undefined;
}

function badReply(method: string, why: string): StratumClientError {
  return new StratumClientError('E_STRATUM_CLIENT_BAD_REPLY', `${method}: ${why}`, {
    details: { method },
  });
}

/** Connects a {@link BitcoinStratumClient} (requests without `jsonrpc`, as cgminer sends them). */
export async function connectBitcoinStratumClient(
  options: Omit<ConnectStratumClientOptions, 'jsonrpc'>,
): Promise<BitcoinStratumClient> {
  return new BitcoinStratumClient(await connectStratumClient(options));
}
