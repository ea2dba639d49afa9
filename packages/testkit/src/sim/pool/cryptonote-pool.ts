import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

/** Options of {@link startCryptoNotePool}. */
export interface CryptoNotePoolOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Share difficulty announced in every job (as a 4-byte target). Default 5000. */
  difficulty?: number;
  /** A new job is pushed to every logged-in miner this often. Default 30 000 ms. */
  jobIntervalMs?: number;
  /** Extensions announced in the login result. Default algo, nicehash, keepalive. */
  extensions?: readonly string[];
  /** Most concurrent connections; extra ones are closed at once. Default 1000. */
  maxConnections?: number;
  /** Longest accepted line; a longer one closes the connection. Default 16 KiB. */
  maxLineBytes?: number;
  /** Logins with this password are refused (to test login errors). */
  rejectPassword?: string;
}

/** Counters of a running pool simulator. */
export interface CryptoNotePoolStats {
  connections: number;
  logins: number;
  accepted: number;
  rejected: number;
  jobs: number;
}

/** A running pool simulator. */
export interface CryptoNotePool {
  readonly port: number;
  /** `host:port`, as miners expect it in `-o`. */
  readonly url: string;
  stats(): CryptoNotePoolStats;
  /** Pushes a new job to every logged-in miner now. */
  pushJob(): void;
  close(): Promise<void>;
}

interface Job {
  id: string;
  blob: string;
  height: number;
  nonces: Set<string>;
}

interface Session {
  socket: Socket;
  id: string | undefined;
  buffer: string;
}

/** Nonces remembered per job for duplicate detection; beyond it the job stops accepting. */
const MAX_NONCES_PER_JOB = 100_000;

/**
 * A small CryptoNote (xmrig-style) pool: login with an embedded job, `job` pushes with the
 * session id in params, `submit` checked for job id validity, nonce format and duplicates,
 * `keepalived`, and results above the job's target refused as low-difficulty shares. It does
 * not verify proof of work (RandomX is far too slow for a test pool): it is the far end that
 * makes a simulated miner mine for real over the wire.
 */
export async function startCryptoNotePool(
  options: CryptoNotePoolOptions = {},
): Promise<CryptoNotePool> {
  const difficulty = options.difficulty ?? 5000;
  const target = Buffer.alloc(4);
  const target32 = Math.max(1, Math.floor(0xffffffff / difficulty));
  target.writeUInt32LE(target32);
  // How xmrig widens a 4-byte target (Job::setTarget): a result's last 8 bytes must be below it.
  const target64 = 0xffff_ffff_ffff_ffffn / (0xffff_ffffn / BigInt(target32));
  const extensions = options.extensions ?? ['algo', 'nicehash', 'keepalive'];
  const maxConnections = options.maxConnections ?? 1000;
  const maxLine = options.maxLineBytes ?? 16 * 1024;
  const stats: CryptoNotePoolStats = {
    connections: 0,
    logins: 0,
    accepted: 0,
    rejected: 0,
    jobs: 0,
  };
  const sessions = new Set<Session>();
  let height = 3_100_000;
  let current = newJob();
  let previous: Job | undefined;

  function newJob(): Job {
    height += 1;
    stats.jobs += 1;
    // 76-byte blob; the nonce sits at byte 39 and the NiceHash byte (42) is left 0 for miners.
    return {
      id: randomBytes(12).toString('base64url'),
      blob: randomBytes(76).toString('hex'),
      height,
      nonces: new Set(),
    };
  }

  const jobParams = (job: Job, sessionId?: string) => ({
    blob: job.blob,
    job_id: job.id,
    target: target.toString('hex'),
    algo: 'rx/0',
    height: job.height,
    seed_hash: '4d5c9b7a6e3f2d1c0b9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a',
    ...(sessionId ? { id: sessionId } : {}),
  });

  const send = (session: Session, message: object) => {
    if (!session.socket.writable) return;
    // A reader that stops reading must not make us buffer without bound.
    if (session.socket.writableLength > 1024 * 1024) {
      session.socket.destroy();
      return;
    }
    session.socket.write(`${JSON.stringify(message)}\n`);
  };

  function handle(session: Session, line: string): void {
    let request: { id?: unknown; method?: unknown; params?: Record<string, unknown> };
    try {
      request = JSON.parse(line);
    } catch {
      session.socket.destroy();
      return;
    }
    const id = request.id ?? null;
    const reply = (result: unknown) => send(session, { id, jsonrpc: '2.0', error: null, result });
    const fail = (message: string) => {
      send(session, { id, jsonrpc: '2.0', error: { code: -1, message } });
    };
    const params = (typeof request.params === 'object' && request.params) || {};
    switch (request.method) {
      case 'login': {
        if (typeof params.login !== 'string' || params.login === '') {
          fail('Missing login');
          return;
        }
        if (options.rejectPassword !== undefined && params.pass === options.rejectPassword) {
          fail('Invalid payment address provided');
          return;
        }
        session.id = randomBytes(8).toString('hex');
        stats.logins += 1;
        reply({ id: session.id, job: jobParams(current), extensions, status: 'OK' });
        return;
      }
      case 'submit': {
        if (!session.id || params.id !== session.id) {
          fail('Unauthenticated');
          return;
        }
        const job =
          params.job_id === current.id
            ? current
            : params.job_id === previous?.id
              ? previous
              : undefined;
        const nonce = params.nonce;
        if (!job) {
          stats.rejected += 1;
          fail('Invalid job id');
          return;
        }
        if (
          typeof nonce !== 'string' ||
          !/^[0-9a-f]{8}$/.test(nonce) ||
          typeof params.result !== 'string' ||
          !/^[0-9a-f]{64}$/.test(params.result)
        ) {
          stats.rejected += 1;
          fail('Malformed share');
          return;
        }
        // Proof of work itself is not verified (RandomX is far too slow here), but a result
        // above the target is refused like a real pool does: that is how a miner's bad shares
        // (`--sim-reject-rate`) show up as rejects.
        if (Buffer.from(params.result, 'hex').readBigUInt64LE(24) >= target64) {
          stats.rejected += 1;
          fail('Low difficulty share');
          return;
        }
        if (job.nonces.has(nonce) || job.nonces.size >= MAX_NONCES_PER_JOB) {
          stats.rejected += 1;
          fail('Duplicate share');
          return;
        }
        job.nonces.add(nonce);
        stats.accepted += 1;
        reply({ status: 'OK' });
        return;
      }
      case 'keepalived':
        reply({ status: 'KEEPALIVED' });
        return;
      default:
        fail('Unknown method');
        return;
    }
  }

  const server: Server = createServer((socket) => {
    if (sessions.size >= maxConnections) {
      socket.destroy();
      return;
    }
    stats.connections += 1;
    const session: Session = { socket, id: undefined, buffer: '' };
    sessions.add(session);
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      session.buffer += chunk;
      let newline = session.buffer.indexOf('\n');
      while (newline !== -1) {
        const line = session.buffer.slice(0, newline).trim();
        session.buffer = session.buffer.slice(newline + 1);
        if (line) handle(session, line);
        newline = session.buffer.indexOf('\n');
      }
      if (session.buffer.length > maxLine) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => sessions.delete(session));
  });

  function pushJob(): void {
    previous = current;
    current = newJob();
    for (const session of sessions) {
      if (session.id)
        send(session, { jsonrpc: '2.0', method: 'job', params: jobParams(current, session.id) });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const timer = setInterval(pushJob, options.jobIntervalMs ?? 30_000);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `${options.host ?? '127.0.0.1'}:${port}`,
    stats: () => ({ ...stats }),
    pushJob,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        for (const session of sessions) session.socket.destroy();
        sessions.clear();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
