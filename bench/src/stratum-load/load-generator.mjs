// The miners of the stratum load bench: M CryptoNote (xmrig-dialect) connections on raw
// node:net sockets, in a process of their own. Lean on purpose, because 10,000 of them share a
// 2-core machine with the proxy they measure: replies are recognised by their first bytes and
// only a login result is JSON-parsed; a share's send time lives in a ring of doubles indexed by
// its JSON-RPC id, so a reply costs one slice and one subtraction.
import { connect } from 'node:net';
import { cpuCommands, nowMs, quantile, round1, serve } from './ipc.mjs';

const HEX = /** @type {string[]} */ (
  Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
);
// The pool reads the result's last 8 bytes as the hash value; zero meets any target.
const RESULT = `${'ab'.repeat(24)}${'00'.repeat(8)}`;
const RING = 1 << 21; // > 30,000 shares/s × 60 s in flight: ids never collide in practice
const sentAt = new Float64Array(RING);
const LOGIN_ID = 0;
const JOB_PREFIX = '{"jsonrpc":"2.0","method":"job"';

class Miner {
  /** @param {number} index */
  constructor(index) {
    this.index = index;
    /** @type {import('node:net').Socket | undefined} */
    this.socket = undefined;
    this.rest = '';
    this.minerId = '';
    this.jobId = '';
    /** Blob byte 42 of this miner's jobs: the top byte its nonces must carry. */
    this.nonceByte = '';
    this.counter = 0;
    this.loginSentAt = 0;
    this.loggedIn = false;
    this.closed = false;
    /** @type {((ok: boolean) => void) | undefined} */
    this.settle = undefined;
  }
}

/** @type {Miner[]} */
let miners = [];
/** @type {Miner[]} */
let live = [];
/** @type {number[]} */
let loginLatencies = [];
/** Fan-out: receive times of each job, by job id. @type {Map<string, number[]>} */
const jobs = new Map();
let unexpectedCloses = 0;
let otherLines = 0;

// Share-step counters, reset by each step.
let seq = 1;
/** The first share id of the current step: replies to older shares (a backlog) are not counted. */
let stepFirstId = 1;
let outstanding = 0;
let accepted = 0;
let rejected = 0;
let lastReplyAt = 0;
let collecting = false;
let latencies = new Float64Array(1024);
let latencyCount = 0;

/** @param {number} value */
function recordLatency(value) {
  if (latencyCount === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[latencyCount++] = value;
}

// One read buffer for every socket (`onread`): reads skip the stream machinery and allocate
// nothing; each chunk is consumed synchronously before the next read can reuse the buffer.
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** @param {Miner} miner @param {string} chunk */
function onData(miner, chunk) {
  const now = nowMs(); // once per chunk: every line in it arrived at the same moment
  const data = miner.rest === '' ? chunk : miner.rest + chunk;
  let start = 0;
  let newline = data.indexOf('\n');
  while (newline !== -1) {
    onLine(miner, data.slice(start, newline), now);
    start = newline + 1;
    newline = data.indexOf('\n', start);
  }
  miner.rest = start === data.length ? '' : data.slice(start);
}

/** @param {Miner} miner @param {string} line @param {number} now */
function onLine(miner, line, now) {
  if (line.startsWith(JOB_PREFIX)) {
    const blob = line.indexOf('"blob":"') + 8;
    const jobAt = line.indexOf('"job_id":"') + 10;
    const jobId = line.slice(jobAt, line.indexOf('"', jobAt));
    miner.jobId = jobId;
    miner.nonceByte = line.slice(blob + 84, blob + 86);
    let times = jobs.get(jobId);
    if (!times) {
      times = [];
      jobs.set(jobId, times);
    }
    times.push(now);
    return;
  }
  if (!line.startsWith('{"id":')) {
    otherLines++;
    return;
  }
  const id = Number.parseInt(line.slice(6, line.indexOf(',', 6)), 10);
  if (id === LOGIN_ID) {
    onLogin(miner, line, now);
    return;
  }
  if (!(id > 0)) {
    otherLines++;
    return;
  }
  if (id < stepFirstId) return;
  outstanding--;
  lastReplyAt = now;
  if (line.includes('"error":null')) accepted++;
  else rejected++;
  if (collecting) recordLatency(now - (sentAt[id & (RING - 1)] ?? now));
}

/** @param {Miner} miner @param {string} line @param {number} now */
function onLogin(miner, line, now) {
  const reply = JSON.parse(line);
  const job = reply.result?.job;
  if (reply.error || typeof reply.result?.id !== 'string' || typeof job?.blob !== 'string') {
    miner.settle?.(false);
    return;
  }
  miner.minerId = reply.result.id;
  miner.jobId = job.job_id;
  miner.nonceByte = job.blob.slice(84, 86);
  miner.loggedIn = true;
  loginLatencies.push(now - miner.loginSentAt);
  miner.settle?.(true);
}

/** @param {Miner} miner */
function sendShare(miner) {
  const id = seq++;
  const c = miner.counter++;
  // 4-byte little-endian nonce: a per-miner counter below the nicehash byte the proxy gave it.
  const nonce = `${HEX[c & 0xff]}${HEX[(c >>> 8) & 0xff]}${HEX[(c >>> 16) & 0xff]}${miner.nonceByte}`;
  sentAt[id & (RING - 1)] = nowMs();
  outstanding++;
  miner.socket?.write(
    `{"id":${id},"jsonrpc":"2.0","method":"submit","params":{"id":"${miner.minerId}","job_id":"${miner.jobId}","nonce":"${nonce}","result":"${RESULT}","algo":"rx/0"}}\n`,
  );
}

/**
 * Opens one miner; resolves true once it is logged in (or connected, without login).
 * @param {Miner} miner @param {number} port @param {boolean} login
 * @returns {Promise<boolean>}
 */
function open(miner, port, login) {
  return new Promise((resolve) => {
    let done = false;
    miner.settle = (ok) => {
      if (done) return;
      done = true;
      miner.settle = undefined;
      resolve(ok);
    };
    const socket = connect({
      host: '127.0.0.1',
      port,
      noDelay: true,
      onread: {
        buffer: readBuffer,
        callback: (/** @type {number} */ bytes, /** @type {Buffer} */ buffer) => {
          onData(miner, buffer.toString('latin1', 0, bytes));
          return true; // keep reading
        },
      },
    });
    miner.socket = socket;
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!miner.closed) unexpectedCloses++;
      miner.closed = true;
      miner.loggedIn = false;
      miner.settle?.(false);
    });
    socket.once('connect', () => {
      if (!login) {
        miner.settle?.(true);
        return;
      }
      miner.loginSentAt = nowMs();
      socket.write(
        `{"id":${LOGIN_ID},"jsonrpc":"2.0","method":"login","params":{"login":"4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2684Rge","pass":"x","agent":"rigkit-load/1.0","rigid":"rig-${miner.index}","algo":["rx/0"]}}\n`,
      );
    });
  });
}

serve(
  {
    /**
     * Opens `miners` connections at most `concurrency` at a time (a connection ramp: `ramp`
     * new connections per second, 0 = as fast as they complete), each logging in when `login`.
     */
    async connect(
      /** @type {{ port: number, miners: number, login?: boolean, ramp?: number, concurrency?: number }} */ args,
    ) {
      const login = args.login !== false;
      const ramp = args.ramp ?? 0;
      const concurrency = args.concurrency ?? 256;
      miners = Array.from({ length: args.miners }, (_, i) => new Miner(i));
      loginLatencies = [];
      const started = nowMs();
      let next = 0;
      let ok = 0;
      let failed = 0;
      const worker = async () => {
        while (next < miners.length) {
          const miner = /** @type {Miner} */ (miners[next++]);
          if (ramp > 0) {
            const due = started + (miner.index * 1000) / ramp;
            const wait = due - nowMs();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          }
          if (await open(miner, args.port, login)) ok++;
          else failed++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, miners.length) }, worker));
      const tookMs = nowMs() - started;
      live = miners.filter((miner) => !miner.closed && (miner.loggedIn || !login));
      const sorted = Float64Array.from(loginLatencies).sort();
      return {
        ok,
        failed,
        tookMs: Math.round(tookMs),
        connectionsPerSecond: Math.round((ok * 1000) / tookMs),
        login: login
          ? {
              p50: quantile(sorted, 0.5),
              p99: quantile(sorted, 0.99),
              max: quantile(sorted, 1),
            }
          : undefined,
      };
    },

    /** Per job id: how many miners got it, and the receive times' median and max. */
    jobReport() {
      /** @type {Record<string, { count: number, first: number, p50: number, last: number }>} */
      const out = {};
      for (const [jobId, times] of jobs) {
        const sorted = Float64Array.from(times).sort();
        out[jobId] = {
          count: sorted.length,
          first: sorted[0] ?? Number.NaN,
          p50: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
          last: sorted[sorted.length - 1] ?? Number.NaN,
        };
      }
      jobs.clear();
      return out;
    },

    /**
     * Offers `rate` shares/s, spread round-robin over the logged-in miners, for `seconds`;
     * then waits (up to `drainMs`) for the replies still in flight.
     */
    async shareStep(
      /** @type {{ rate: number, seconds: number, drainMs?: number, record?: boolean }} */ args,
    ) {
      if (live.length === 0) throw new Error('no logged-in miners');
      const { rate, seconds } = args;
      const drainMs = args.drainMs ?? 30_000;
      accepted = 0;
      rejected = 0;
      latencyCount = 0;
      outstanding = 0;
      stepFirstId = seq;
      collecting = args.record !== false;
      const total = Math.round(rate * seconds);
      let sent = 0;
      let cursor = 0;
      const started = nowMs();
      const endAt = started + seconds * 1000;
      await new Promise((resolve) => {
        const tick = () => {
          const now = nowMs();
          const due = Math.min(total, Math.floor(((Math.min(now, endAt) - started) * rate) / 1000));
          while (sent < due) {
            const miner = /** @type {Miner} */ (live[cursor]);
            cursor = cursor + 1 === live.length ? 0 : cursor + 1;
            if (!miner.closed) sendShare(miner);
            sent++;
          }
          // A 1 ms timer rather than setImmediate: a busy loop would take a core from the proxy.
          if (sent < total) setTimeout(tick, 1);
          else resolve(null);
        };
        tick();
      });
      const sendEnd = nowMs();
      const drainUntil = sendEnd + drainMs;
      while (outstanding > 0 && nowMs() < drainUntil) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      collecting = false;
      const sorted = latencies.subarray(0, latencyCount).sort();
      const replies = accepted + rejected;
      const span = Math.max(lastReplyAt, endAt) - started;
      return {
        offeredPerSecond: rate,
        sent,
        sendSeconds: round1((sendEnd - started) / 1000),
        accepted,
        rejected,
        unanswered: sent - replies,
        achievedPerSecond: Math.round((replies * 1000) / span),
        p50: quantile(sorted, 0.5),
        p99: quantile(sorted, 0.99),
        max: quantile(sorted, 1),
      };
    },

    ...cpuCommands(),

    counters() {
      return {
        live: live.filter((miner) => !miner.closed).length,
        unexpectedCloses,
        otherLines,
      };
    },
  },
  () => {
    for (const miner of miners) {
      miner.closed = true;
      miner.socket?.destroy();
    }
  },
);
