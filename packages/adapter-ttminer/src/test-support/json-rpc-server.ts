import { createServer, type Socket } from 'node:net';

/** What the fake does with one request line: answer on `socket`, or not at all. */
export type LineHandler = (line: string, socket: Socket) => void;

/**
 * A plain-TCP server on 127.0.0.1 that behaves like TT-Miner's API port: it reads request
 * lines and lets the test decide the answer (one JSON line, garbage, nothing, a flood…).
 */
export interface JsonRpcServer {
  port: number;
  /** Every request line received, in order. */
  lines: string[];
  handle(handler: LineHandler): void;
  /** Resolves with the next request line as soon as it arrives. */
  nextLine(): Promise<string>;
  /** Sockets currently open on the server side. */
  openSockets(): number;
  close(): Promise<void>;
}

export async function startJsonRpcServer(): Promise<JsonRpcServer> {
  let handler: LineHandler = (_line, socket) => socket.end();
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        for (const waiter of waiters.splice(0)) waiter(line);
        handler(line, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    lines,
    handle: (h) => {
      handler = h;
    },
    nextLine: () => new Promise((resolve) => waiters.push(resolve)),
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with `text` (a newline is added) and closes the connection. */
export function answer(text: string): LineHandler {
  return (_line, socket) => socket.end(`${text}\n`);
}

/** Counts this thread's open TCP sockets (client and server side). */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
}

/**
 * Waits until the count of open TCP sockets is back to `baseline` (closing is asynchronous
 * on the server side), up to `timeoutMs`, and returns the count it ended with.
 */
export async function settleSockets(baseline: number, timeoutMs = 2000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (openTcpSockets() > baseline && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return openTcpSockets();
}
