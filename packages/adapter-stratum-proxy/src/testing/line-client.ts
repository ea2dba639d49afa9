import { connect, type Socket } from 'node:net';

/** A message as the proxy sent it (parsed JSON). */
export type Line = Record<string, unknown>;

/** Waits of a {@link LineClient} fail after this long unless told otherwise (loaded CI box). */
export const WAIT_MS = 15_000;

/**
 * A raw test client for the proxy: writes whatever bytes a test wants (valid or not) and keeps
 * every line it receives, so a test can assert on the exact wire format. Not a miner: it does
 * not answer anything by itself.
 */
export interface LineClient {
  readonly socket: Socket;
  /** Every line received, parsed (unparseable lines are kept as `{ raw }`). */
  readonly lines: Line[];
  /** Writes one JSON line (an object is serialised, a string is sent as is plus `\n`). */
  send(message: object | string): void;
  /** Writes raw bytes, no newline added. */
  write(bytes: string | Buffer): void;
  /** Resolves with the first line (already received or to come) that matches. */
  next(match: (line: Line) => boolean, timeoutMs?: number): Promise<Line>;
  /** Sends a request and resolves with the reply carrying the same id. */
  call(message: Line, timeoutMs?: number): Promise<Line>;
  /** Resolves when the socket has closed (by either side). */
  readonly closed: Promise<void>;
  /** True once the socket closed. */
  readonly isClosed: boolean;
  /** Destroys the socket. */
  destroy(): void;
}

interface Waiter {
  match: (line: Line) => boolean;
  resolve: (line: Line) => void;
}

/** Connects a {@link LineClient} to `127.0.0.1:port`. */
export function connectLineClient(
  port: number,
  options: { host?: string; localAddress?: string; readable?: boolean } = {},
): Promise<LineClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: options.host ?? '127.0.0.1',
      port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    const lines: Line[] = [];
    const waiters = new Set<Waiter>();
    let buffered = '';
    let isClosed = false;
    const closed = new Promise<void>((done) => {
      socket.once('close', () => {
        isClosed = true;
        done();
      });
    });
    socket.on('error', () => {}); // 'close' follows
    if (options.readable !== false) {
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        for (;;) {
          const newline = buffered.indexOf('\n');
          if (newline === -1) break;
          const text = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          let line: Line;
          try {
            line = JSON.parse(text) as Line;
          } catch {
            line = { raw: text };
          }
          lines.push(line);
          for (const waiter of [...waiters]) {
            if (waiter.match(line)) {
              waiters.delete(waiter);
              waiter.resolve(line);
            }
          }
        }
      });
    } else {
      socket.pause();
    }
    const next = (match: (line: Line) => boolean, timeoutMs = WAIT_MS) => {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<Line>((found, fail) => {
        const waiter: Waiter = {
          match,
          resolve: (line) => {
            clearTimeout(timer);
            found(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          fail(new Error(`no matching line within ${timeoutMs} ms; got ${JSON.stringify(lines)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    };
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve({
        socket,
        lines,
        send: (message) =>
          socket.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`),
        write: (bytes) => socket.write(bytes),
        next,
        call: (message, timeoutMs) => {
          socket.write(`${JSON.stringify(message)}\n`);
          return next((line) => line.id === message.id && line.method === undefined, timeoutMs);
        },
        closed,
        get isClosed() {
          return isClosed;
        },
        destroy: () => socket.destroy(),
      });
    });
    socket.once('error', reject);
  });
}

/** Resolves when the client's socket closes; rejects after `timeoutMs`. */
export function closedWithin(client: LineClient, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`connection still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
    void client.closed.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
