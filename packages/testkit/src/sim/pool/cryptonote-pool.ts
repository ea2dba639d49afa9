import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { NdjsonSplitter } from '@rigkit/core';

/** Per-connection difficulty adjustment of {@link startCryptoNotePool}. */
export interface CryptoNoteVardiff {
  /** Accepted shares per minute each connection should find. */
  targetSharesPerMinute: number;
  /** How often one pool-wide timer retargets every logged-in connection. */
  retargetMs: number;
  /** Lowest difficulty a connection is given. */
  min: number;
  /** Highest difficulty a connection is given. */
  max: number;
}

/** Why a submit was refused: the keys of {@link CryptoNotePoolStats.rejectedByReason}. */
export type CryptoNoteRejectReason =
  | 'invalid-job-id'
  | 'malformed-share'
  | 'nicehash-nonce'
  | 'low-difficulty'
  | 'duplicate'
  | 'reject-burst';

/** A job pushed to every logged-in miner ({@link CryptoNotePool.pushJob}, the job timer). */
export interface CryptoNotePushedJob {
  /**
   * The job's id. With `vardiff` each connection sees it with a `.<n>` suffix (its difficulty
   * generation), so a retarget can resend the same work under a new id.
   */
  jobId: string;
  /**
   * `Date.now()` taken just before the first miner's line was written: a fan-out benchmark
   * measures from here to the moment each downstream miner receives the job.
   */
  time: number;
}

/** What {@link CryptoNotePoolOptions.onJob} receives. */
export interface CryptoNoteJobEvent extends CryptoNotePushedJob {
  height: number;
  /** Logged-in connections the job was written to. */
  miners: number;
}

/** What {@link CryptoNotePoolOptions.onShare} receives, for every submit that named a session. */
export interface CryptoNoteShareEvent {
  /** The miner id the login returned. */
  minerId: string;
  jobId: string;
  nonce: string;
  /** The difficulty the share was checked against. */
  difficulty: number;
  accepted: boolean;
  /** Set when refused. */
  reason?: CryptoNoteRejectReason;
}

/** Options of {@link CryptoNotePool.pushJob}. */
export interface CryptoNotePushJobOptions {
  /**
   * Forget the previous job too (a new block): shares for it are then `Invalid job id`.
   * Default false — one previous job stays valid, for shares in flight.
   */
  clean?: boolean;
}

/** Options of {@link startCryptoNotePool}. */
export interface CryptoNotePoolOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Share difficulty announced in every job (as a 4-byte target). Default 5000. With `vardiff`
   * it is each connection's starting difficulty (clamped to `min`…`max`).
   */
  difficulty?: number;
  /**
   * A new job is pushed to every logged-in miner this often. Default 30 000 ms; 0 pushes jobs
   * only on demand ({@link CryptoNotePool.pushJob}).
   */
  jobIntervalMs?: number;
  /** Extensions announced in the login result. Default algo, nicehash, keepalive. */
  extensions?: readonly string[];
  /** Most concurrent connections; extra ones are closed at once. Default 1000. */
  maxConnections?: number;
  /** Longest accepted line; a longer one closes the connection. Default 16 KiB. */
  maxLineBytes?: number;
  /** Logins with this password are refused (to test login errors). */
  rejectPassword?: string;
  /** Per-connection difficulty adjustment. Default `false`: every miner gets `difficulty`. */
  vardiff?: false | CryptoNoteVardiff;
  /**
   * NiceHash mode: every connection gets its own nonce top byte (blob byte 42, set in every job
   * it is sent) and a submit whose nonce has another top byte is refused. Bytes are handed out
   * round-robin, so beyond 256 connections some share one (a real pool would also vary the
   * blob; duplicates are tracked per connection, so that does not cause false duplicates).
   */
  nicehash?: boolean;
  /** Called after every pool-wide job push (not for a vardiff retarget). Must not throw. */
  onJob?: (job: CryptoNoteJobEvent) => void;
  /** Called for every submit from a logged-in miner, accepted or not. Must not throw. */
  onShare?: (share: CryptoNoteShareEvent) => void;
}

/** Counters of a running pool simulator. */
export interface CryptoNotePoolStats {
  /** Connections accepted since start. */
  connections: number;
  /** Connections open now. */
  openConnections: number;
  logins: number;
  accepted: number;
  /** Refused submits; the sum of `rejectedByReason`. */
  rejected: number;
  rejectedByReason: Record<CryptoNoteRejectReason, number>;
  /**
   * Messages that break the protocol rather than a share rule: lines that are not JSON objects
   * (the connection is closed), over-long lines (closed), unknown methods, logins without a
   * login, submits without the session id.
   */
  protocolErrors: number;
  /** Pool-wide jobs made (including the first one). */
  jobs: number;
}

/** A running pool simulator. */
export interface CryptoNotePool {
  readonly port: number;
  /** `host:port`, as miners expect it in `-o`. */
  readonly url: string;
  stats(): CryptoNotePoolStats;
  /** Pushes a new job to every logged-in miner now. */
  pushJob(options?: CryptoNotePushJobOptions): CryptoNotePushedJob;
  /**
   * A pool outage: destroys every connection and stops listening (connections are refused)
   * until {@link recover}. Resolves once the port is closed.
   */
  outage(): Promise<void>;
  /** Listens again on the same port after an {@link outage}. */
  recover(): Promise<void>;
  /**
   * The next `count` submits that pass every check are refused anyway (a reject burst), with
   * `Share rejected (simulated reject burst)`; their nonces are not remembered. Replaces any
   * burst still running; 0 ends it.
   */
  rejectNext(count: number): void;
  close(): Promise<void>;
}

interface Job {
  id: string;
  blob: string;
  height: number;
  /**
   * Nonces seen for this job, keyed with the connection's serial number. Two generations, so
   * memory stays bounded without refusing shares once a long-lived job has seen many.
   */
  seen: Set<string>;
  seenOlder: Set<string>;
}

interface Session {
  socket: Socket;
  /** Short per-connection tag for duplicate keys. */
  serial: string;
  /** The miner id handed out at login. */
  id: string | undefined;
  /** NiceHash top byte as two hex chars (`nicehash` only). */
  nicehashHex: string;
  difficulty: number;
  previousDifficulty: number;
  /** Difficulty generation (`vardiff`): the job id suffix. */
  generation: number;
  /** Accepted shares since `windowStart` (`vardiff`). */
  windowShares: number;
  windowStart: number;
}

interface Target {
  hex: string;
  /** How xmrig widens a 4-byte target (Job::setTarget): a result's last 8 bytes must be below it. */
  limit: bigint;
}

/** Nonces remembered per job (both generations together); older ones are forgotten. */
const MAX_NONCES_PER_JOB = 100_000;
/** A connection whose unread output exceeds this is dropped rather than buffered further. */
const MAX_WRITE_BUFFER = 1024 * 1024;
const MAX_CACHED_TARGETS = 1024;
const NONCE = /^[0-9a-f]{8}$/;
const RESULT = /^[0-9a-f]{64}$/;
const SEED_HASH = '4d5c9b7a6e3f2d1c0b9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a';
/** Blob byte 42 (the nonce's top byte) in hex characters. */
const NICEHASH_HEX_OFFSET = 84;

const REJECT_MESSAGES: Record<CryptoNoteRejectReason, string> = {
  'invalid-job-id': 'Invalid job id',
  'malformed-share': 'Malformed share',
  'nicehash-nonce': '', // built per connection: it names the expected byte
  'low-difficulty': 'Low difficulty share',
  duplicate: 'Duplicate share',
  'reject-burst': 'Share rejected (simulated reject burst)',
};

/**
 * A small CryptoNote (xmrig-style) pool: login with an embedded job, `job` pushes with the
 * session id in params, `submit` checked for job id validity, nonce and result format,
 * NiceHash byte, duplicates (per connection), and results above the target refused as
 * low-difficulty shares; `keepalived`. It does not verify proof of work (RandomX is far too
 * slow for a test pool): it is the far end that makes a simulated miner or a proxy mine for real
 * over the wire. Faults for tests: {@link CryptoNotePool.outage}, {@link CryptoNotePool.rejectNext},
 * `rejectPassword`.
 *
 * Sized for a load bench (10 000 connections, tens of thousands of shares per second): a few
 * numbers per connection, job lines assembled from pre-built pieces, replies written corked per
 * received chunk, one pool-wide timer per feature.
 */
export async function startCryptoNotePool(
  options: CryptoNotePoolOptions = {},
): Promise<CryptoNotePool> {
  const vardiff = options.vardiff || undefined;
  const nicehash = options.nicehash === true;
  const startDifficulty = vardiff
    ? clamp(options.difficulty ?? 5000, vardiff.min, vardiff.max)
    : Math.max(1, options.difficulty ?? 5000);
  const extensionsJson = JSON.stringify(options.extensions ?? ['algo', 'nicehash', 'keepalive']);
  const maxConnections = options.maxConnections ?? 1000;
  const maxLine = options.maxLineBytes ?? 16 * 1024;
  const host = options.host ?? '127.0.0.1';
  const stats: CryptoNotePoolStats = {
    connections: 0,
    openConnections: 0,
    logins: 0,
    accepted: 0,
    rejected: 0,
    rejectedByReason: {
      'invalid-job-id': 0,
      'malformed-share': 0,
      'nicehash-nonce': 0,
      'low-difficulty': 0,
      duplicate: 0,
      'reject-burst': 0,
    },
    protocolErrors: 0,
    jobs: 0,
  };
  const sessions = new Set<Session>();
  const targets = new Map<number, Target>();
  let serial = 0;
  let height = 3_100_000;
  let current = newJob();
  let previous: Job | undefined;
  let rejectBudget = 0;

  function newJob(): Job {
    height += 1;
    stats.jobs += 1;
    // 76-byte blob with the nonce (bytes 39–42) zeroed, as pools send it.
    const blob = randomBytes(76);
    blob.fill(0, 39, 43);
    return {
      id: randomBytes(12).toString('base64url'),
      blob: blob.toString('hex'),
      height,
      seen: new Set(),
      seenOlder: new Set(),
    };
  }

  function targetOf(difficulty: number): Target {
    let target = targets.get(difficulty);
    if (target) return target;
    const target32 = Math.max(1, Math.floor(0xffffffff / difficulty));
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(target32);
    target = {
      hex: bytes.toString('hex'),
      limit: 0xffff_ffff_ffff_ffffn / (0xffff_ffffn / BigInt(target32)),
    };
    if (targets.size >= MAX_CACHED_TARGETS) targets.clear();
    targets.set(difficulty, target);
    return target;
  }

  /** The id a connection sees for `job`: the job's own, or with its difficulty generation. */
  const jobIdFor = (job: Job, session: Session) =>
    vardiff ? `${job.id}.${session.generation.toString(36)}` : job.id;

  /** Job params as JSON text, in the key order real pools (and the fixtures) use. */
  function jobJson(job: Job, session: Session, withSessionId: boolean): string {
    const blob = nicehash
      ? job.blob.slice(0, NICEHASH_HEX_OFFSET) +
        session.nicehashHex +
        job.blob.slice(NICEHASH_HEX_OFFSET + 2)
      : job.blob;
    return (
      `{"blob":"${blob}","job_id":"${jobIdFor(job, session)}",` +
      `"target":"${targetOf(session.difficulty).hex}","algo":"rx/0","height":${job.height},` +
      `"seed_hash":"${SEED_HASH}"${withSessionId ? `,"id":"${session.id}"` : ''}}`
    );
  }

  const jobLine = (job: Job, session: Session) =>
    `{"jsonrpc":"2.0","method":"job","params":${jobJson(job, session, true)}}\n`;

  function write(session: Session, line: string): void {
    const socket = session.socket;
    if (!socket.writable) return;
    // A reader that stops reading must not make us buffer without bound.
    if (socket.writableLength > MAX_WRITE_BUFFER) {
      socket.destroy();
      return;
    }
    socket.write(line);
  }

  function handle(session: Session, line: string): void {
    if (line.trim() === '') return;
    let request: { id?: unknown; method?: unknown; params?: unknown } | null;
    try {
      request = JSON.parse(line);
    } catch {
      request = null;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      stats.protocolErrors += 1;
      session.socket.destroy();
      return;
    }
    const idJson = JSON.stringify(request.id ?? null);
    const reply = (resultJson: string) =>
      write(session, `{"id":${idJson},"jsonrpc":"2.0","error":null,"result":${resultJson}}\n`);
    const fail = (message: string) =>
      write(
        session,
        `{"id":${idJson},"jsonrpc":"2.0","error":{"code":-1,"message":${JSON.stringify(message)}}}\n`,
      );
    const params = (
      typeof request.params === 'object' && request.params !== null ? request.params : {}
    ) as Record<string, unknown>;
    switch (request.method) {
      case 'login': {
        if (typeof params.login !== 'string' || params.login === '') {
          stats.protocolErrors += 1;
          fail('Missing login');
          return;
        }
        if (options.rejectPassword !== undefined && params.pass === options.rejectPassword) {
          fail('Invalid payment address provided');
          return;
        }
        session.id = randomBytes(8).toString('hex');
        session.windowStart = Date.now();
        session.windowShares = 0;
        stats.logins += 1;
        reply(
          `{"id":"${session.id}","job":${jobJson(current, session, false)},` +
            `"extensions":${extensionsJson},"status":"OK"}`,
        );
        return;
      }
      case 'submit':
        submit(session, params, reply, fail);
        return;
      case 'keepalived':
        reply('{"status":"KEEPALIVED"}');
        return;
      default:
        stats.protocolErrors += 1;
        fail('Unknown method');
        return;
    }
  }

  function submit(
    session: Session,
    params: Record<string, unknown>,
    reply: (resultJson: string) => void,
    fail: (message: string) => void,
  ): void {
    if (!session.id || params.id !== session.id) {
      stats.protocolErrors += 1;
      fail('Unauthenticated');
      return;
    }
    const jobId = typeof params.job_id === 'string' ? params.job_id : '';
    const nonce = params.nonce;
    let difficulty = session.difficulty;
    let baseId = jobId;
    if (vardiff) {
      const dot = jobId.lastIndexOf('.');
      const generation = dot === -1 ? Number.NaN : Number.parseInt(jobId.slice(dot + 1), 36);
      baseId = jobId.slice(0, dot);
      if (generation === session.generation - 1) difficulty = session.previousDifficulty;
      else if (generation !== session.generation) baseId = '';
    }
    const job = baseId === current.id ? current : baseId === previous?.id ? previous : undefined;
    const refuse = (reason: CryptoNoteRejectReason, message = REJECT_MESSAGES[reason]) => {
      stats.rejected += 1;
      stats.rejectedByReason[reason] += 1;
      options.onShare?.({
        minerId: session.id as string,
        jobId,
        nonce: String(nonce),
        difficulty,
        accepted: false,
        reason,
      });
      fail(message);
    };
    if (!job) {
      refuse('invalid-job-id');
      return;
    }
    if (
      typeof nonce !== 'string' ||
      !NONCE.test(nonce) ||
      typeof params.result !== 'string' ||
      !RESULT.test(params.result)
    ) {
      refuse('malformed-share');
      return;
    }
    if (nicehash && nonce.slice(6, 8) !== session.nicehashHex) {
      refuse(
        'nicehash-nonce',
        `Invalid nonce: NiceHash mode fixes its top byte (hex chars 6-7) to ${session.nicehashHex}, got ${nonce.slice(6, 8)}`,
      );
      return;
    }
    // Proof of work itself is not verified (RandomX is far too slow here), but a result
    // above the target is refused like a real pool does: that is how a miner's bad shares
    // (`--sim-reject-rate`) show up as rejects.
    if (Buffer.from(params.result, 'hex').readBigUInt64LE(24) >= targetOf(difficulty).limit) {
      refuse('low-difficulty');
      return;
    }
    const key = nonce + session.serial;
    if (job.seen.has(key) || job.seenOlder.has(key)) {
      refuse('duplicate');
      return;
    }
    if (rejectBudget > 0) {
      rejectBudget -= 1;
      refuse('reject-burst');
      return;
    }
    if (job.seen.size >= MAX_NONCES_PER_JOB / 2) {
      job.seenOlder = job.seen;
      job.seen = new Set();
    }
    job.seen.add(key);
    stats.accepted += 1;
    session.windowShares += 1;
    options.onShare?.({ minerId: session.id, jobId, nonce, difficulty, accepted: true });
    reply('{"status":"OK"}');
  }

  function pushJob(pushOptions: CryptoNotePushJobOptions = {}): CryptoNotePushedJob {
    previous = pushOptions.clean ? undefined : current;
    current = newJob();
    const time = Date.now();
    let miners = 0;
    for (const session of sessions) {
      if (!session.id) continue;
      write(session, jobLine(current, session));
      miners += 1;
    }
    options.onJob?.({ jobId: current.id, time, height: current.height, miners });
    return { jobId: current.id, time };
  }

  function retarget(): void {
    if (!vardiff) return;
    const now = Date.now();
    for (const session of sessions) {
      if (!session.id) continue;
      const elapsed = now - session.windowStart;
      // A connection that logged in late in this window is judged at the next one.
      if (elapsed < vardiff.retargetMs / 2) continue;
      const perMinute = (session.windowShares * 60_000) / elapsed;
      // No shares at all: a quarter of the difficulty; otherwise proportional, at most ×4 / ÷4
      // per step, and left alone within ±10 % so the miner is not sent jobs for nothing.
      const ratio = clamp(perMinute / vardiff.targetSharesPerMinute, 0.25, 4);
      session.windowStart = now;
      session.windowShares = 0;
      if (Math.abs(ratio - 1) <= 0.1) continue;
      const next = clamp(Math.round(session.difficulty * ratio), vardiff.min, vardiff.max);
      if (next === session.difficulty) continue;
      session.previousDifficulty = session.difficulty;
      session.difficulty = next;
      session.generation += 1;
      write(session, jobLine(current, session));
    }
  }

  const server: Server = createServer((socket) => {
    if (sessions.size >= maxConnections) {
      socket.destroy();
      return;
    }
    stats.connections += 1;
    serial += 1;
    const session: Session = {
      socket,
      serial: serial.toString(36),
      id: undefined,
      nicehashHex: (serial & 0xff).toString(16).padStart(2, '0'),
      difficulty: startDifficulty,
      previousDifficulty: startDifficulty,
      generation: 0,
      windowShares: 0,
      windowStart: 0,
    };
    sessions.add(session);
    stats.openConnections = sessions.size;
    socket.setNoDelay(true);
    const splitter = new NdjsonSplitter(
      maxLine,
      (line) => handle(session, line),
      () => {
        stats.protocolErrors += 1;
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => {
      // One write for all the replies to one chunk.
      socket.cork();
      splitter.push(chunk);
      socket.uncork();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sessions.delete(session);
      stats.openConnections = sessions.size;
    });
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const session of sessions) session.socket.destroy();
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });

  let port = options.port ?? 0;
  await listen();
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const jobIntervalMs = options.jobIntervalMs ?? 30_000;
  const jobTimer = jobIntervalMs > 0 ? setInterval(() => pushJob(), jobIntervalMs) : undefined;
  const retargetTimer = vardiff ? setInterval(retarget, vardiff.retargetMs) : undefined;
  let state: 'up' | 'down' | 'closed' = 'up';
  let transition: Promise<void> = Promise.resolve();
  // Outage, recovery and close run one after another, each from the state the last one left.
  const serially = (step: () => Promise<void>) => {
    transition = transition.then(step, step);
    return transition;
  };
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `${host}:${port}`,
    stats: () => ({ ...stats, rejectedByReason: { ...stats.rejectedByReason } }),
    pushJob,
    outage: () =>
      serially(async () => {
        if (state !== 'up') return;
        state = 'down';
        await stopListening();
      }),
    recover: () =>
      serially(async () => {
        if (state !== 'down') return;
        await listen();
        state = 'up';
      }),
    rejectNext(count: number) {
      rejectBudget = Math.max(0, Math.floor(count));
    },
    close() {
      closing ??= serially(async () => {
        state = 'closed';
        clearInterval(jobTimer);
        clearInterval(retargetTimer);
        await stopListening();
      });
      return closing;
    },
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
