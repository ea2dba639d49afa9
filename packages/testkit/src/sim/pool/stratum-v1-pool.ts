import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { ConfigInvalidError, type ConfigIssue, NdjsonSplitter } from '@rigkit/core';
import { randomSv1Job, sv1NotifyParams } from '../sv1/random-sv1-job.js';
import { RecentShareSet } from '../sv1/recent-share-set.js';
import { sha256d } from '../sv1/sha256d.js';
import {
  hashMeetsTarget,
  type PreparedSv1Job,
  prepareSv1Job,
  rollVersion,
  type Sv1Target,
  sv1MerkleRoot,
  sv1Target,
  writeSv1Header,
} from '../sv1/sv1-share.js';

/** Stratum V1 error codes (the `[code, message, null]` tuples pools answer with). */
export const SV1_ERROR = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE_SHARE: 22,
  LOW_DIFFICULTY_SHARE: 23,
  UNAUTHORIZED_WORKER: 24,
  NOT_SUBSCRIBED: 25,
} as const;

/** Per-connection variable difficulty, retargeted from one pool-wide timer. */
export interface StratumV1VardiffOptions {
  /** Accepted shares per minute to aim for. */
  targetSharesPerMinute: number;
  /** How often every connection's rate is looked at. */
  retargetMs: number;
  /** Lowest and highest difficulty vardiff sets. */
  min: number;
  max: number;
}

/** Options of {@link startStratumV1Pool}. */
export interface StratumV1PoolOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Share difficulty of new connections (fractional allowed, e.g. `1 / 65536`). Default 1. */
  difficulty?: number;
  /** Bytes of extranonce1 (unique per connection, random). Default 4. */
  extranonce1Size?: number;
  /** Bytes of extranonce2 the miner fills (a proxy takes 1–2 of them). Default 4. */
  extranonce2Size?: number;
  /** A new job for everyone this often; 0: only on {@link StratumV1Pool.pushJob}. Default 30 000. */
  jobIntervalMs?: number;
  /** Per-connection vardiff, or `false` (default). */
  vardiff?: false | StratumV1VardiffOptions;
  /** Most concurrent connections; extra ones are closed at once. Default 1000. */
  maxConnections?: number;
  /** Longest accepted line; a longer one closes the connection. Default 16 KiB. */
  maxLineBytes?: number;
  /** `mining.authorize` with this password fails (error 24). */
  rejectPassword?: string;
  /** The BIP 310 mask granted by `mining.configure` (ANDed with the miner's). Default `1fffe000`. */
  versionRollingMask?: string;
  /**
   * Check every share's SHA-256d against the connection's target (default true). `false`
   * checks everything else (job, duplicate, format) and accepts: for benches of a proxy.
   */
  verifyShares?: boolean;
  /** Shares remembered per job for duplicate detection (the newest ones). Default 262 144. */
  maxSharesPerJob?: number;
  /** Called after each job is sent (not for the first job, which exists before anyone connects). */
  onJob?: (job: StratumV1PoolJobEvent) => void;
  /** Called for each `mining.submit`, accepted or not. */
  onShare?: (share: StratumV1PoolShareEvent) => void;
}

/** What {@link StratumV1Pool.pushJob} returns. */
export interface StratumV1PoolJob {
  jobId: string;
  /**
   * When the job was sent, in epoch milliseconds with sub-millisecond resolution
   * (`performance.timeOrigin + performance.now()`, taken just before the first write): comparable
   * with the same expression in another process on this machine, for fan-out latency.
   */
  time: number;
}

/** An {@link StratumV1PoolOptions.onJob} event. */
export interface StratumV1PoolJobEvent extends StratumV1PoolJob {
  clean: boolean;
  /** Connections the job was written to. */
  recipients: number;
}

/** An {@link StratumV1PoolOptions.onShare} event. */
export interface StratumV1PoolShareEvent {
  /** 1, 2, … in connection order. */
  connectionId: number;
  worker: string;
  jobId: string;
  accepted: boolean;
  /** The error code of a rejected share ({@link SV1_ERROR}), `null` when accepted. */
  code: number | null;
  /** The connection's difficulty when the share arrived. */
  difficulty: number;
}

/** Counters of a running pool. */
export interface StratumV1PoolStats {
  /** Connections open now. */
  connections: number;
  /** Open connections that subscribed / authorized. */
  subscribed: number;
  authorized: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<number, number>;
  /** Jobs made (the first one included). */
  jobs: number;
  /** Connections closed for a line that is not JSON or too long. */
  protocolErrors: number;
  /** Connections accepted since start, and those closed at once over `maxConnections`. */
  totalConnections: number;
  refusedConnections: number;
}

/** Where {@link StratumV1Pool.reconnectAll} sends the miners (default: this pool, at once). */
export interface StratumV1ReconnectOptions {
  host?: string;
  port?: number;
  waitSeconds?: number;
}

/** A running Stratum V1 pool simulator. */
export interface StratumV1Pool {
  readonly host: string;
  readonly port: number;
  /** `host:port`. */
  readonly url: string;
  stats(): StratumV1PoolStats;
  /** Sends a new job to every subscribed, authorized connection now. */
  pushJob(options?: { clean?: boolean }): StratumV1PoolJob;
  /** Sets every connection's difficulty (`mining.set_difficulty`); returns how many were told. */
  setDifficulty(difficulty: number): number;
  /**
   * Gives every `mining.extranonce.subscribe`d connection a fresh extranonce1
   * (`mining.set_extranonce`); returns how many. Shares made with the old one are accepted
   * until the next job.
   */
  setExtranonce(): number;
  /** Sends `client.reconnect [host, port, wait]` to every connection; returns how many. */
  reconnectAll(options?: StratumV1ReconnectOptions): number;
  /** Closes every connection and stops listening (connects are refused) until {@link recover}. */
  outage(): Promise<void>;
  /** Listens again on the same port. */
  recover(): Promise<void>;
  /** The next `n` shares that would be accepted are rejected with `code` (default 23). */
  rejectNext(n: number, code?: number): void;
  /** Releases the server, every socket and timer. */
  close(): Promise<void>;
}

interface PoolJob {
  readonly id: string;
  readonly prepared: PreparedSv1Job;
  readonly clean: boolean;
  /** The `mining.notify` line, serialised once for every connection. */
  readonly line: string;
  readonly shares: RecentShareSet;
}

interface Connection {
  readonly id: number;
  readonly socket: Socket;
  extranonce1: string;
  extranonce1Bytes: Buffer;
  /** The extranonce1 before the last `set_extranonce`, accepted until the next job. */
  previousExtranonce1: Buffer | undefined;
  subscribed: boolean;
  extranonceSubscribed: boolean;
  /** Authorized worker names (a few; `undefined` until the first authorize). */
  workers: string[] | undefined;
  workSent: boolean;
  target: Sv1Target;
  /** The easier target before vardiff raised it, accepted until the next job. */
  easierTarget: Sv1Target | undefined;
  versionMask: number | undefined;
  shares: number;
  retargetSince: number;
  /**
   * Merkle roots by job, extranonce1 and extranonce2, made on the first miss. A miner keeps
   * one extranonce2 for many shares; behind a proxy one connection carries a few per miner.
   */
  roots: Map<string, Buffer> | undefined;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const MAX_WORKERS = 8;
/** Merkle roots cached per connection; when full the cache starts over. */
const MAX_ROOTS = 1024;
/** A reader that stops reading must not make the pool buffer without bound. */
const MAX_WRITE_BUFFER = 1024 * 1024;

/** Wall-clock epoch ms with sub-ms resolution (see {@link StratumV1PoolJob.time}). */
const now = () => performance.timeOrigin + performance.now();

function validate(options: StratumV1PoolOptions): void {
  const issues: ConfigIssue[] = [];
  const check = (ok: boolean, path: string, message: string) => {
    if (!ok) issues.push({ path, message });
  };
  const positive = (value: number | undefined) =>
    value === undefined || (Number.isFinite(value) && value > 0);
  const int = (value: number | undefined, min: number, max: number) =>
    value === undefined || (Number.isInteger(value) && value >= min && value <= max);
  check(positive(options.difficulty), 'difficulty', 'must be a number above 0');
  check(int(options.extranonce1Size, 1, 16), 'extranonce1Size', 'must be 1–16 bytes');
  check(int(options.extranonce2Size, 1, 16), 'extranonce2Size', 'must be 1–16 bytes');
  check(int(options.port, 0, 65_535), 'port', 'must be 0–65535');
  check(int(options.jobIntervalMs, 0, 2 ** 31 - 1), 'jobIntervalMs', 'must be ≥ 0 ms');
  check(int(options.maxConnections, 1, 1_000_000), 'maxConnections', 'must be ≥ 1');
  check(int(options.maxLineBytes, 256, 2 ** 24), 'maxLineBytes', 'must be 256 B–16 MiB');
  check(int(options.maxSharesPerJob, 2, 2 ** 26), 'maxSharesPerJob', 'must be ≥ 2');
  check(
    options.versionRollingMask === undefined || HEX8.test(options.versionRollingMask),
    'versionRollingMask',
    'must be 8 hex digits',
  );
  const { vardiff } = options;
  if (vardiff) {
    check(positive(vardiff.targetSharesPerMinute), 'vardiff.targetSharesPerMinute', 'must be > 0');
    check(int(vardiff.retargetMs, 1, 2 ** 31 - 1), 'vardiff.retargetMs', 'must be ≥ 1 ms');
    check(positive(vardiff.min) && positive(vardiff.max), 'vardiff.min', 'must be > 0');
    check(vardiff.min <= vardiff.max, 'vardiff.max', 'must be ≥ min');
  }
  if (issues.length > 0) throw new ConfigInvalidError('stratum V1 pool options', issues);
}

/**
 * A Bitcoin Stratum V1 pool simulator that verifies shares for real: each `mining.submit` is
 * rebuilt into its block header (coinbase, merkle branch, BIP 310 version rolling) and its
 * SHA-256d compared with the connection's target. It is the far end of the stratum proxy's
 * tests and load benchmark, so it is built to serve ~1000 connections at ~25 000 shares/s in
 * one process: per-connection state is a few fields, jobs are serialised once, vardiff runs
 * from one pool-wide timer, and a share costs one SHA-256d when its merkle root is cached (per
 * connection, job and extranonce2; at most 1024 per connection) or 4–6 when not.
 *
 * Protocol: `mining.subscribe` → `[[["mining.set_difficulty", id], ["mining.notify", id]],
 * extranonce1, extranonce2_size]`; `mining.authorize` → `true` (then `mining.set_difficulty`
 * and the current `mining.notify`) or error 24; `mining.configure` (version-rolling);
 * `mining.extranonce.subscribe` → `true`; `mining.submit` → `true` or `[code, message, null]`
 * (see {@link SV1_ERROR}); other methods → error 20. Ids are echoed as sent. A line that is not
 * JSON, or is too long, closes the connection.
 */
export async function startStratumV1Pool(
  options: StratumV1PoolOptions = {},
): Promise<StratumV1Pool> {
  validate(options);
  const host = options.host ?? '127.0.0.1';
  const defaultTarget = sv1Target(options.difficulty ?? 1);
  const extranonce1Size = options.extranonce1Size ?? 4;
  const extranonce2Size = options.extranonce2Size ?? 4;
  const maxConnections = options.maxConnections ?? 1000;
  const maxLineBytes = options.maxLineBytes ?? 16 * 1024;
  const poolMask = Number.parseInt(options.versionRollingMask ?? '1fffe000', 16) >>> 0;
  const verifyShares = options.verifyShares ?? true;
  const maxSharesPerJob = options.maxSharesPerJob ?? 262_144;
  const vardiff = options.vardiff || undefined;

  const stats: StratumV1PoolStats = {
    connections: 0,
    subscribed: 0,
    authorized: 0,
    accepted: 0,
    rejected: 0,
    rejectedByCode: {},
    jobs: 0,
    protocolErrors: 0,
    totalConnections: 0,
    refusedConnections: 0,
  };
  const connections = new Set<Connection>();
  /** Extranonce1s in use, to give each connection its own. */
  const extranonces = new Set<string>();
  const header = Buffer.alloc(80);
  let jobCounter = 0;
  let height = 840_000;
  let current = makeJob(true);
  let previous: PoolJob | undefined;
  let rejectBudget = 0;
  let rejectCode: number = SV1_ERROR.LOW_DIFFICULTY_SHARE;
  let down = false;
  let closing: Promise<void> | undefined;

  function makeJob(clean: boolean): PoolJob {
    jobCounter += 1;
    height += 1;
    stats.jobs += 1;
    const job = randomSv1Job({
      jobId: jobCounter.toString(16),
      height,
      extranonce1Size,
      extranonce2Size,
      cleanJobs: clean,
    });
    return {
      id: job.jobId,
      prepared: prepareSv1Job(job),
      clean,
      line: `${JSON.stringify({ id: null, method: 'mining.notify', params: sv1NotifyParams(job) })}\n`,
      shares: new RecentShareSet(maxSharesPerJob),
    };
  }

  function freshExtranonce1(): string {
    let value = randomBytes(extranonce1Size).toString('hex');
    // Random is unique enough for 4 bytes; retry a little for small sizes, then give up.
    for (let tries = 0; extranonces.has(value) && tries < 64; tries++) {
      value = randomBytes(extranonce1Size).toString('hex');
    }
    extranonces.add(value);
    return value;
  }

  const write = (connection: Connection, line: string): boolean => {
    const { socket } = connection;
    if (socket.destroyed) return false;
    if (socket.writableLength > MAX_WRITE_BUFFER) {
      socket.destroy();
      return false;
    }
    socket.write(line);
    return true;
  };
  const reply = (connection: Connection, id: unknown, result: unknown) =>
    write(connection, `${JSON.stringify({ id, result, error: null })}\n`);
  const fail = (connection: Connection, id: unknown, code: number, message: string) =>
    write(connection, `${JSON.stringify({ id, result: null, error: [code, message, null] })}\n`);
  const notify = (connection: Connection, method: string, params: unknown[]) =>
    write(connection, `${JSON.stringify({ id: null, method, params })}\n`);

  function sendWork(connection: Connection): void {
    connection.workSent = true;
    connection.retargetSince = performance.now();
    connection.shares = 0;
    notify(connection, 'mining.set_difficulty', [connection.target.difficulty]);
    write(connection, current.line);
  }

  function setConnectionDifficulty(connection: Connection, difficulty: number): void {
    const old = connection.target;
    if (difficulty === old.difficulty) return;
    if (difficulty > old.difficulty) {
      // Shares already being hashed at the old difficulty stay good until the next job.
      const easier = connection.easierTarget;
      connection.easierTarget = easier && easier.difficulty < old.difficulty ? easier : old;
    }
    connection.target = sv1Target(difficulty);
    notify(connection, 'mining.set_difficulty', [difficulty]);
  }

  function onLine(connection: Connection, line: string): void {
    if (line.length === 0) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      stats.protocolErrors += 1;
      connection.socket.destroy();
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      stats.protocolErrors += 1;
      connection.socket.destroy();
      return;
    }
    const {
      id = null,
      method,
      params,
    } = message as {
      id?: unknown;
      method?: unknown;
      params?: unknown;
    };
    switch (method) {
      case 'mining.submit':
        submit(connection, id, params);
        return;
      case 'mining.subscribe':
        subscribe(connection, id);
        return;
      case 'mining.authorize':
        authorize(connection, id, params);
        return;
      case 'mining.configure':
        configure(connection, id, params);
        return;
      case 'mining.extranonce.subscribe':
        connection.extranonceSubscribed = true;
        reply(connection, id, true);
        return;
      default:
        fail(connection, id, SV1_ERROR.OTHER, 'Unknown method');
        return;
    }
  }

  function subscribe(connection: Connection, id: unknown): void {
    if (!connection.subscribed) {
      connection.subscribed = true;
      stats.subscribed += 1;
    }
    const subscription = randomBytes(16).toString('hex');
    reply(connection, id, [
      [
        ['mining.set_difficulty', subscription],
        ['mining.notify', subscription],
      ],
      connection.extranonce1,
      extranonce2Size,
    ]);
    if (connection.workers && !connection.workSent) sendWork(connection);
  }

  function authorize(connection: Connection, id: unknown, params: unknown): void {
    const [worker, password] = Array.isArray(params) ? params : [];
    if (
      typeof worker !== 'string' ||
      worker.length === 0 ||
      worker.length > 256 ||
      (options.rejectPassword !== undefined && password === options.rejectPassword)
    ) {
      fail(connection, id, SV1_ERROR.UNAUTHORIZED_WORKER, 'Unauthorized worker');
      return;
    }
    if (connection.workers === undefined) {
      connection.workers = [];
      stats.authorized += 1;
    }
    if (!connection.workers.includes(worker)) {
      if (connection.workers.length >= MAX_WORKERS) connection.workers.shift();
      connection.workers.push(worker);
    }
    reply(connection, id, true);
    if (connection.subscribed && !connection.workSent) sendWork(connection);
  }

  function configure(connection: Connection, id: unknown, params: unknown): void {
    const [extensions, parameters] = Array.isArray(params) ? params : [];
    const list = Array.isArray(extensions) ? extensions.slice(0, 16) : [];
    const values = (typeof parameters === 'object' && parameters) || {};
    const result: Record<string, unknown> = {};
    for (const extension of list) {
      if (extension !== 'version-rolling') {
        if (typeof extension === 'string') result[extension] = false;
        continue;
      }
      const requested = (values as Record<string, unknown>)['version-rolling.mask'];
      const mask =
        (poolMask &
          (typeof requested === 'string' && HEX8.test(requested)
            ? Number.parseInt(requested, 16)
            : 0xffffffff)) >>>
        0;
      connection.versionMask = mask;
      result['version-rolling'] = true;
      result['version-rolling.mask'] = mask.toString(16).padStart(8, '0');
    }
    reply(connection, id, result);
  }

  function merkleRoot(
    connection: Connection,
    job: PoolJob,
    extranonce1: Buffer,
    extranonce2: string,
  ): Buffer {
    const key = `${job.id}/${extranonce1 === connection.extranonce1Bytes ? '' : 'p'}/${extranonce2}`;
    let roots = connection.roots;
    const cached = roots?.get(key);
    if (cached !== undefined) return cached;
    const root = sv1MerkleRoot(job.prepared, extranonce1, extranonce2);
    if (roots === undefined || roots.size >= MAX_ROOTS) {
      roots = new Map();
      connection.roots = roots;
    }
    roots.set(key, root);
    return root;
  }

  function meetsTarget(
    connection: Connection,
    job: PoolJob,
    extranonce1: Buffer,
    extranonce2: string,
    ntime: string,
    nonce: string,
    version: number,
  ): boolean {
    writeSv1Header(header, {
      version,
      prevHash: job.prepared.prevHash,
      merkleRoot: merkleRoot(connection, job, extranonce1, extranonce2),
      ntime: Number.parseInt(ntime, 16),
      nbits: job.prepared.nbits,
      nonce: Number.parseInt(nonce, 16),
    });
    const hash = sha256d(header);
    if (hashMeetsTarget(hash, connection.target)) return true;
    const easier = connection.easierTarget;
    return easier !== undefined && hashMeetsTarget(hash, easier);
  }

  function submit(connection: Connection, id: unknown, params: unknown): void {
    const list = Array.isArray(params) ? params : [];
    const [worker, jobId, extranonce2, ntime, nonce, versionBits] = list;
    const refuse = (code: number, message: string) => {
      stats.rejected += 1;
      stats.rejectedByCode[code] = (stats.rejectedByCode[code] ?? 0) + 1;
      fail(connection, id, code, message);
      options.onShare?.({
        connectionId: connection.id,
        worker: typeof worker === 'string' ? worker : '',
        jobId: typeof jobId === 'string' ? jobId : '',
        accepted: false,
        code,
        difficulty: connection.target.difficulty,
      });
    };
    if (typeof worker !== 'string' || !connection.workers?.includes(worker)) {
      refuse(SV1_ERROR.UNAUTHORIZED_WORKER, 'Unauthorized worker');
      return;
    }
    if (!connection.subscribed) {
      refuse(SV1_ERROR.NOT_SUBSCRIBED, 'Not subscribed');
      return;
    }
    const job =
      jobId === current.id
        ? current
        : !current.clean && previous !== undefined && jobId === previous.id
          ? previous
          : undefined;
    if (job === undefined) {
      refuse(SV1_ERROR.JOB_NOT_FOUND, 'Job not found');
      return;
    }
    if (
      typeof extranonce2 !== 'string' ||
      extranonce2.length !== extranonce2Size * 2 ||
      !HEX.test(extranonce2)
    ) {
      refuse(SV1_ERROR.OTHER, 'Invalid extranonce2 size');
      return;
    }
    if (
      typeof ntime !== 'string' ||
      !HEX8.test(ntime) ||
      typeof nonce !== 'string' ||
      !HEX8.test(nonce)
    ) {
      refuse(SV1_ERROR.OTHER, 'Malformed share');
      return;
    }
    let version = job.prepared.version;
    if (versionBits !== undefined) {
      if (typeof versionBits !== 'string' || !HEX8.test(versionBits)) {
        refuse(SV1_ERROR.OTHER, 'Malformed version bits');
        return;
      }
      if (connection.versionMask === undefined) {
        refuse(SV1_ERROR.OTHER, 'Version rolling not configured');
        return;
      }
      version = rollVersion(version, Number.parseInt(versionBits, 16), connection.versionMask);
    }
    const key =
      `${connection.extranonce1}${extranonce2}${ntime}${nonce}${version.toString(16)}`.toLowerCase();
    if (job.shares.has(key)) {
      refuse(SV1_ERROR.DUPLICATE_SHARE, 'Duplicate share');
      return;
    }
    if (verifyShares) {
      const previousExtranonce1 = connection.previousExtranonce1;
      const valid =
        meetsTarget(
          connection,
          job,
          connection.extranonce1Bytes,
          extranonce2,
          ntime,
          nonce,
          version,
        ) ||
        (previousExtranonce1 !== undefined &&
          meetsTarget(connection, job, previousExtranonce1, extranonce2, ntime, nonce, version));
      if (!valid) {
        refuse(SV1_ERROR.LOW_DIFFICULTY_SHARE, 'Low difficulty share');
        return;
      }
    }
    if (rejectBudget > 0) {
      rejectBudget -= 1;
      refuse(
        rejectCode,
        rejectCode === SV1_ERROR.LOW_DIFFICULTY_SHARE ? 'Low difficulty share' : 'Share rejected',
      );
      return;
    }
    job.shares.add(key);
    stats.accepted += 1;
    connection.shares += 1;
    write(connection, `{"id":${JSON.stringify(id)},"result":true,"error":null}\n`);
    options.onShare?.({
      connectionId: connection.id,
      worker,
      jobId: job.id,
      accepted: true,
      code: null,
      difficulty: connection.target.difficulty,
    });
  }

  function onConnection(socket: Socket): void {
    socket.on('error', () => {});
    if (closing !== undefined || down || connections.size >= maxConnections) {
      stats.refusedConnections += 1;
      socket.destroy();
      return;
    }
    stats.totalConnections += 1;
    stats.connections += 1;
    socket.setNoDelay(true);
    const extranonce1 = freshExtranonce1();
    const connection: Connection = {
      id: stats.totalConnections,
      socket,
      extranonce1,
      extranonce1Bytes: Buffer.from(extranonce1, 'hex'),
      previousExtranonce1: undefined,
      subscribed: false,
      extranonceSubscribed: false,
      workers: undefined,
      workSent: false,
      target: defaultTarget,
      easierTarget: undefined,
      versionMask: undefined,
      shares: 0,
      retargetSince: performance.now(),
      roots: undefined,
    };
    connections.add(connection);
    const splitter = new NdjsonSplitter(
      maxLineBytes,
      (line) => onLine(connection, line),
      () => {
        stats.protocolErrors += 1;
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('close', () => {
      connections.delete(connection);
      extranonces.delete(connection.extranonce1);
      stats.connections -= 1;
      if (connection.subscribed) stats.subscribed -= 1;
      if (connection.workers !== undefined) stats.authorized -= 1;
    });
  }

  function pushJob(pushOptions: { clean?: boolean } = {}): StratumV1PoolJob {
    const clean = pushOptions.clean ?? false;
    previous = current;
    current = makeJob(clean);
    const time = now();
    let recipients = 0;
    for (const connection of connections) {
      // Stale allowances end with the job they were for.
      connection.easierTarget = undefined;
      connection.previousExtranonce1 = undefined;
      connection.roots = undefined;
      if (connection.workSent && write(connection, current.line)) recipients += 1;
    }
    options.onJob?.({ jobId: current.id, time, clean, recipients });
    return { jobId: current.id, time };
  }

  function retarget(settings: StratumV1VardiffOptions): void {
    const at = performance.now();
    for (const connection of connections) {
      if (!connection.workSent) continue;
      const elapsed = at - connection.retargetSince;
      // Too short a window says nothing (a connection that just logged in).
      if (elapsed < settings.retargetMs / 2) continue;
      const rate = connection.shares / (elapsed / 60_000);
      connection.shares = 0;
      connection.retargetSince = at;
      const ratio = rate / settings.targetSharesPerMinute;
      if (ratio >= 0.5 && ratio <= 2) continue;
      const factor = Math.min(4, Math.max(0.25, ratio));
      const next = Math.min(
        settings.max,
        Math.max(settings.min, connection.target.difficulty * factor),
      );
      setConnectionDifficulty(connection, next);
    }
  }

  const server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  // No per-connection timers: one for jobs, one for vardiff.
  const jobIntervalMs = options.jobIntervalMs ?? 30_000;
  const jobTimer = jobIntervalMs > 0 ? setInterval(() => pushJob(), jobIntervalMs) : undefined;
  const vardiffTimer = vardiff
    ? setInterval(() => retarget(vardiff), vardiff.retargetMs)
    : undefined;

  const closeServer = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });

  return {
    host,
    port,
    url: `${host}:${port}`,
    stats: () => ({ ...stats, rejectedByCode: { ...stats.rejectedByCode } }),
    pushJob,
    setDifficulty(difficulty: number): number {
      sv1Target(difficulty); // throws RangeError on a bad one before anything is sent
      let count = 0;
      for (const connection of connections) {
        if (!connection.workSent) continue;
        setConnectionDifficulty(connection, difficulty);
        count += 1;
      }
      return count;
    },
    setExtranonce(): number {
      let count = 0;
      for (const connection of connections) {
        if (!connection.extranonceSubscribed || !connection.subscribed) continue;
        const old = connection.extranonce1;
        connection.previousExtranonce1 = connection.extranonce1Bytes;
        connection.extranonce1 = freshExtranonce1();
        connection.extranonce1Bytes = Buffer.from(connection.extranonce1, 'hex');
        // Cached roots are keyed "current" or "previous" extranonce1, which just moved.
        connection.roots = undefined;
        extranonces.delete(old);
        notify(connection, 'mining.set_extranonce', [connection.extranonce1, extranonce2Size]);
        count += 1;
      }
      return count;
    },
    reconnectAll(target: StratumV1ReconnectOptions = {}): number {
      const params = [target.host ?? host, target.port ?? port, target.waitSeconds ?? 0];
      let count = 0;
      for (const connection of connections) {
        if (notify(connection, 'client.reconnect', params)) count += 1;
      }
      return count;
    },
    async outage(): Promise<void> {
      if (down || closing !== undefined) return;
      down = true;
      const closed = closeServer();
      for (const connection of connections) connection.socket.destroy();
      await closed;
    },
    async recover(): Promise<void> {
      if (!down || closing !== undefined) return;
      await listen(port);
      down = false;
    },
    rejectNext(n: number, code: number = SV1_ERROR.LOW_DIFFICULTY_SHARE): void {
      rejectBudget = Math.max(0, Math.floor(n));
      rejectCode = code;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        clearInterval(jobTimer);
        clearInterval(vardiffTimer);
        const closed = closeServer();
        for (const connection of connections) connection.socket.destroy();
        await closed;
      })();
      return closing;
    },
  };
}
