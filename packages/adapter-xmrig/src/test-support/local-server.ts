import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/** A request the server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

/** An HTTP server on 127.0.0.1 with a swappable handler, for client tests. */
export interface LocalServer {
  port: number;
  origin: string;
  requests: SeenRequest[];
  handle(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Resolves with the next request as soon as it arrives (for event-driven tests). */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(404).end();
  };
  const requests: SeenRequest[] = [];
  const waiters: ((r: SeenRequest) => void)[] = [];
  const server = createServer((req, res) => {
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(seen);
    for (const waiter of waiters.splice(0)) waiter(seen);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
    },
    nextRequest: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
