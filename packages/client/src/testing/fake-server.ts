// Test support: a tiny stand-in for the Rigkit server (node:http + ws), so the client's tests
// open real sockets without depending on @rigkit/server (a higher layer).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export const FAKE_TOKEN = 'fake-token-0123456789abcdef0123456789abcdef';

export type FakeHandler = (
  request: IncomingMessage & { body: string },
  response: ServerResponse,
) => void | Promise<void>;

export interface FakeConnection {
  socket: WebSocket;
  /** Messages the client sent, parsed. */
  messages: unknown[];
  /** Resolves with the next message the client sends. */
  nextMessage(): Promise<unknown>;
}

export interface FakeServer {
  url: string;
  port: number;
  /** Requests seen, in order. */
  requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  /** Route table: `"GET /api/v1/miners"` → handler. Unknown routes answer a 404 envelope. */
  routes: Map<string, FakeHandler>;
  /** WebSocket connections accepted so far, in order. */
  connections: FakeConnection[];
  /** Resolves with the next accepted WebSocket connection. */
  nextConnection(): Promise<FakeConnection>;
  /** HTTP status to refuse WebSocket upgrades with (e.g. 401), or undefined to accept. */
  rejectUpgrades: number | undefined;
  /** Answer `subscribe` messages with `subscribed` (default true). */
  autoSubscribe: boolean;
  /** Sends an event to every open connection. */
  broadcast(event: string, data: Record<string, unknown>): void;
  close(): Promise<void>;
}

export function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startFakeServer(port = 0): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const connectionWaiters: ((c: FakeConnection) => void)[] = [];
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (request.url ?? '/').split('?')[0];
      fake.requests.push({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
      });
      const handler = fake.routes.get(`${request.method} ${path}`);
      if (!handler) {
        json(response, 404, {
          error: { code: 'E_ROUTE_NOT_FOUND', message: `no route ${request.method} ${path}` },
        });
        return;
      }
      void handler(Object.assign(request, { body }), response);
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (request, socket, head) => {
    if (fake.rejectUpgrades !== undefined) {
      const body = JSON.stringify({
        error: { code: 'E_UNAUTHORIZED', message: 'a valid API token is required' },
      });
      socket.end(
        `HTTP/1.1 ${fake.rejectUpgrades} Rejected\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const messages: unknown[] = [];
      const waiters: ((m: unknown) => void)[] = [];
      const connection: FakeConnection = {
        socket: ws,
        messages,
        nextMessage: () => new Promise((resolve) => waiters.push(resolve)),
      };
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type?: string };
        messages.push(message);
        for (const waiter of waiters.splice(0)) waiter(message);
        if (fake.autoSubscribe && message.type === 'subscribe') {
          const m = message as { miners?: string[]; events?: string[] };
          ws.send(
            JSON.stringify({ type: 'subscribed', miners: m.miners ?? [], events: m.events ?? [] }),
          );
        }
      });
      ws.on('error', () => ws.terminate());
      fake.connections.push(connection);
      for (const waiter of connectionWaiters.splice(0)) waiter(connection);
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;

  const fake: FakeServer = {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    requests: [],
    routes: new Map(),
    connections: [],
    nextConnection: () => new Promise((resolve) => connectionWaiters.push(resolve)),
    rejectUpgrades: undefined,
    autoSubscribe: true,
    broadcast(event, data) {
      const frame = JSON.stringify({ type: 'event', event, data });
      for (const client of wss.clients) client.send(frame);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return fake;
}
