import {
  type ConnectStratumClientOptions,
  connectStratumClient,
  type StratumClient,
  type StratumClientClosed,
  type StratumReply,
  type StratumRequestOptions,
} from './stratum-client.js';
import { StratumClientError, StratumReplyError } from './stratum-client-error.js';

/** The `login` params, in the order xmrig sends them. */
export interface CryptoNoteLoginParams {
  /** Wallet or user name. */
  login: string;
  /** Default `x`. */
  pass?: string;
  agent?: string;
  rigid?: string;
  /** Algorithms the miner supports (xmrig sends its whole list). */
  algo?: readonly string[];
}

/** A job, as the pool sends it (the login result's `job`, or a `job` notification's params). */
export interface CryptoNoteJob {
  blob: string;
  job_id: string;
  target: string;
  algo?: string;
  height?: number;
  seed_hash?: string;
  /** The miner id, in pushed jobs. */
  id?: string;
  [key: string]: unknown;
}

/** A successful login. */
export interface CryptoNoteLogin {
  /** The miner id every later request must carry. */
  id: string;
  /** The job embedded in the login result (pools may leave it out and push one). */
  job: CryptoNoteJob | undefined;
  extensions: string[];
}

/** One share, in the CryptoNote `submit` shape. */
export interface CryptoNoteShare {
  /** The miner id from the login. */
  id: string;
  jobId: string;
  /** 8 hex characters: the 4 nonce bytes as they sit in the blob (little-endian). */
  nonce: string;
  /** 64 hex characters. */
  result: string;
  algo?: string;
}

const isJob = (value: unknown): value is CryptoNoteJob =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as CryptoNoteJob).blob === 'string' &&
  typeof (value as CryptoNoteJob).job_id === 'string' &&
  typeof (value as CryptoNoteJob).target === 'string';

/**
 * The xmrig (CryptoNote) dialect over a {@link StratumClient}: `login`, `submit`, `keepalived`
 * and pushed `job`s, with the exact wire shapes of `shared/fixtures/stratum/cryptonote-*.jsonl`.
 * The client should send `"jsonrpc":"2.0"` (use {@link connectCryptoNoteClient}).
 */
export class CryptoNoteClient {
  /** The underlying connection (raw requests, counters, `closed`). */
  readonly stratum: StratumClient;

  constructor(stratum: StratumClient) {
    this.stratum = stratum;
  }

  /**
   * Logs in. Rejects with {@link StratumReplyError} carrying the pool's message when refused
   * (`Invalid payment address provided`), or `E_STRATUM_CLIENT_BAD_REPLY` when the result has
   * no miner id.
   */
  async login(
    params: CryptoNoteLoginParams,
    options?: StratumRequestOptions,
  ): Promise<CryptoNoteLogin> {
    const reply = await this.stratum.request(
      'login',
      {
        login: params.login,
        pass: params.pass ?? 'x',
        ...(params.agent === undefined ? {} : { agent: params.agent }),
        ...(params.rigid === undefined ? {} : { rigid: params.rigid }),
        ...(params.algo === undefined ? {} : { algo: params.algo }),
      },
      options,
    );
    if (reply.error != null) throw new StratumReplyError('login', reply.error);
    const result = reply.result as { id?: unknown; job?: unknown; extensions?: unknown } | null;
    if (typeof result?.id !== 'string') {
      throw new StratumClientError(
        'E_STRATUM_CLIENT_BAD_REPLY',
        'login: the result has no miner id',
        {
          details: { method: 'login' },
        },
      );
    }
    return {
      id: result.id,
      job: isJob(result.job) ? result.job : undefined,
      extensions: Array.isArray(result.extensions)
        ? result.extensions.filter((e): e is string => typeof e === 'string')
        : [],
    };
  }

  /**
   * Submits a share and resolves with the reply: `result: { status: 'OK' }` when accepted,
   * `error: { code, message }` when not. The params text is assembled without an object.
   */
  submit(share: CryptoNoteShare, options?: StratumRequestOptions): Promise<StratumReply> {
    const algo = share.algo === undefined ? '' : `,"algo":${JSON.stringify(share.algo)}`;
    return this.stratum.requestRaw(
      'submit',
      `{"id":${JSON.stringify(share.id)},"job_id":${JSON.stringify(share.jobId)},` +
        `"nonce":${JSON.stringify(share.nonce)},"result":${JSON.stringify(share.result)}${algo}}`,
      options,
    );
  }

  /** `keepalived` for the miner `id`; the reply's result is `{ status: 'KEEPALIVED' }`. */
  keepalive(id: string, options?: StratumRequestOptions): Promise<StratumReply> {
    return this.stratum.request('keepalived', { id }, options);
  }

  /** Calls `listener` with the params of every pushed `job`. Returns its disposer. */
  onJob(listener: (job: CryptoNoteJob) => void): () => void {
    return this.stratum.onNotification((message) => {
      if (message.method === 'job' && isJob(message.params)) listener(message.params);
    });
  }

  /** Closes the connection (see {@link StratumClient.close}). */
  close(): Promise<StratumClientClosed> {
    return this.stratum.close();
  }
}

/** Connects a {@link CryptoNoteClient} (requests carry `"jsonrpc":"2.0"`, as xmrig's do). */
export async function connectCryptoNoteClient(
  options: Omit<ConnectStratumClientOptions, 'jsonrpc'>,
): Promise<CryptoNoteClient> {
  return new CryptoNoteClient(await connectStratumClient({ ...options, jsonrpc: true }));
}
