import type { Socket } from 'node:net';
import { NdjsonSplitter } from '@rigkit/core';
import { type TokenState, takeToken } from '../limits/message-rate.js';
import { type JsonRpcMessage, parseJsonRpcLine } from '../wire/json-rpc.js';

/** Why a miner's connection ended (event payloads and logs use these words). */
export type CloseReason =
  | 'closed'
  | 'error'
  | 'idle'
  | 'login-timeout'
  | 'slow-reader'
  | 'message-too-large'
  | 'rate-limit'
  | 'protocol'
  | 'upstream'
  | 'reconnect'
  | 'shutdown';

/** What a protocol session does with one miner connection. */
export interface DownstreamHandler {
  /** One parsed message (after the rate limit). */
  onMessage(message: JsonRpcMessage): void;
  /**
   * A line that is not JSON-RPC, or one over the size limit. The connection closes after this
   * returns; the line returned (an error reply in the session's dialect) is written first.
   */
  onInvalid?(problem: InvalidLine): string | undefined;
  /** The connection is gone; release what it held. Called exactly once. */
  onClose(reason: CloseReason): void;
}

/** What was wrong with a line that closes the connection. */
export interface InvalidLine {
  /** `E_STRATUM_MESSAGE_TOO_LARGE` or `E_STRATUM_PROTOCOL`. */
  code: string;
  message: string;
}

/** The limits a connection enforces by itself. */
export interface ConnectionLimits {
  maxLineBytes: number;
  maxWriteBufferBytes: number;
  loginTimeoutMs: number;
  idleTimeoutMs: number;
  messagesPerSecond: number;
  messageBurst: number;
}

/** Counters shared by every connection of one proxy. */
export interface TrafficCounters {
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  closedByReason: Record<string, number>;
}

const kConnection = Symbol('rigkit.downstream');

/**
 * What the owner hears of a connection's end: `gone` (socket closed), or `draining` (closed for
 * the miner, the socket still sending its last line) followed by `drained`.
 */
export type GonePhase = 'gone' | 'draining' | 'drained';

/** How long a connection closed with a last line waits for the miner to close its side. */
const DRAIN_MS = 2000;

type OwnedSocket = Socket & { [kConnection]?: DownstreamConnection };

/**
 * One miner's TCP connection: splits lines (bounded), parses JSON-RPC, applies the message
 * rate, and writes with a cap on what the kernel has not taken yet. Deadlines are plain numbers
 * checked by the server's single sweep timer, so 10,000 idle miners cost no timers at all.
 */
export class DownstreamConnection {
  /** Unique within the proxy's run. */
  readonly id: number;
  /** The miner's IP address (`unknown` when the socket never had one). */
  readonly address: string;
  /** The protocol session; set right after construction. */
  handler: DownstreamHandler | undefined;
  /** When the sweep closes this connection (login deadline first, then the idle deadline). */
  deadlineAt: number;
  /** The login/subscribe handshake finished. */
  loggedIn = false;
  /** Closed with a last line, waiting for the miner to close its side (until `deadlineAt`). */
  draining = false;

  readonly #socket: OwnedSocket;
  readonly #limits: ConnectionLimits;
  readonly #counters: TrafficCounters;
  readonly #splitter: NdjsonSplitter;
  readonly #onGone: (connection: DownstreamConnection, phase: GonePhase) => void;
  readonly #clock: () => number;
  /** The message-rate token bucket (see {@link takeToken}). */
  readonly #rate: TokenState;
  #closed = false;
  /** The clock, read once per chunk for the lines in it. */
  #now = 0;

  constructor(
    id: number,
    socket: Socket,
    limits: ConnectionLimits,
    counters: TrafficCounters,
    clock: () => number,
    onGone: (connection: DownstreamConnection, phase: GonePhase) => void,
  ) {
    this.id = id;
    this.address = socket.remoteAddress ?? 'unknown';
    const now = clock();
    this.deadlineAt = now + limits.loginTimeoutMs;
    this.#clock = clock;
    this.#socket = socket as OwnedSocket;
    this.#limits = limits;
    this.#counters = counters;
    this.#onGone = onGone;
    this.#rate = { tokens: limits.messageBurst, at: now };
    this.#splitter = new NdjsonSplitter(
      limits.maxLineBytes,
      (line) => this.#line(line),
      () => this.#tooLarge(),
    );
    this.#socket[kConnection] = this;
    socket.setNoDelay(true);
    socket.on('data', onSocketData);
    socket.on('error', onSocketError);
    socket.on('close', onSocketClose);
  }

  /** The connection was closed (by either side). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes written but not yet taken by the kernel. */
  get pendingWriteBytes(): number {
    return this.#socket.writableLength;
  }

  /** Sends one message as a JSON line. False when the connection is gone. */
  send(message: object): boolean {
    return this.sendLine(`${JSON.stringify(message)}\n`);
  }

  /**
   * Sends a pre-serialised line (with its `\n`): job fan-out builds the line once for many
   * miners. A miner that does not read is disconnected instead of buffered without bound.
   */
  sendLine(line: string): boolean {
    if (this.#closed) return false;
    this.#socket.write(line);
    this.#counters.bytesOut += line.length;
    if (this.#socket.writableLength > this.#limits.maxWriteBufferBytes) {
      this.close('slow-reader');
      return false;
    }
    return true;
  }

  /** The handshake finished: from now on the idle deadline applies. */
  markLoggedIn(now: number): void {
    this.loggedIn = true;
    this.deadlineAt = now + this.#limits.idleTimeoutMs;
  }

  /** Activity that keeps a logged-in miner alive (a share, a keepalive). */
  touch(now: number): void {
    if (this.loggedIn) this.deadlineAt = now + this.#limits.idleTimeoutMs;
  }

  /**
   * Closes the connection; an optional last line (an error reply) is written first. The
   * handler's `onClose` runs once, synchronously.
   */
  close(reason: CloseReason, lastLine?: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const socket = this.#socket;
    if (lastLine !== undefined && reason !== 'slow-reader' && !socket.destroyed) {
      // Destroying now would reset the connection while the miner's own lines may still be
      // arriving, and a reset can make the miner's kernel drop our last line unread. So
      // half-close, keep reading (and discarding) until the miner closes too; the server's
      // sweep destroys the socket after DRAIN_MS if it never does.
      socket.end(lastLine);
      if (socket.writableLength <= this.#limits.maxWriteBufferBytes) {
        this.draining = true;
        this.deadlineAt = this.#clock() + DRAIN_MS;
        this.#onGone(this, 'draining');
        this.#finish(reason);
        return;
      }
    }
    socket.destroy();
    this.#onGone(this, 'gone');
    this.#finish(reason);
  }

  /** Destroys the socket at once (a drain that took too long, shutdown). */
  destroy(): void {
    this.#socket.destroy();
  }

  /** @internal */
  onData(chunk: Buffer): void {
    this.#counters.bytesIn += chunk.length;
    this.#now = this.#clock(); // once per chunk, not once per line
    this.#splitter.push(chunk);
  }

  /** @internal The socket closed by itself (peer closed, reset). */
  onSocketGone(hadError: boolean): void {
    if (this.#closed) {
      if (this.draining) {
        this.draining = false;
        this.#onGone(this, 'drained');
      }
      return;
    }
    this.#closed = true;
    this.#onGone(this, 'gone');
    this.#finish(hadError ? 'error' : 'closed');
  }

  #finish(reason: CloseReason): void {
    const counts = this.#counters.closedByReason;
    counts[reason] = (counts[reason] ?? 0) + 1;
    const handler = this.handler;
    this.handler = undefined;
    handler?.onClose(reason);
  }

  #line(line: string): void {
    if (this.#closed || line.length === 0) return;
    if (
      !takeToken(this.#rate, this.#now, this.#limits.messagesPerSecond, this.#limits.messageBurst)
    ) {
      this.close('rate-limit');
      return;
    }
    this.#counters.messagesIn++;
    const message = parseJsonRpcLine(line);
    if (typeof message === 'string') {
      const last = this.handler?.onInvalid?.({ code: 'E_STRATUM_PROTOCOL', message });
      this.close('protocol', last);
      return;
    }
    this.handler?.onMessage(message);
  }

  #tooLarge(): void {
    const last = this.handler?.onInvalid?.({
      code: 'E_STRATUM_MESSAGE_TOO_LARGE',
      message: `message longer than ${this.#limits.maxLineBytes} bytes`,
    });
    this.close('message-too-large', last);
  }
}

// One shared function per event instead of three closures per socket: 10,000 miners.
function onSocketData(this: OwnedSocket, chunk: Buffer): void {
  this[kConnection]?.onData(chunk);
}

function onSocketError(this: OwnedSocket): void {
  // 'close' follows with hadError; nothing to do here but keep the error from being thrown.
}

function onSocketClose(this: OwnedSocket, hadError: boolean): void {
  const connection = this[kConnection];
  this[kConnection] = undefined;
  connection?.onSocketGone(hadError);
}
