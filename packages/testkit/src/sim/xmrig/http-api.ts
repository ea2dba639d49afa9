import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ansi } from '../shared/ansi.js';
import { type RandomSource, randomBytesFrom } from '../shared/mulberry32.js';
import { type JsonValue, toXmrigJson } from './json-text.js';
import type { XmrigLog } from './xmrig-log.js';

/** What the API answers from; the simulator implements it. */
export interface HttpApiHandlers {
  summary(version: 1 | 2): JsonValue;
  backends(): JsonValue;
  config(): JsonValue;
  dmi(): JsonValue;
  /** A `PUT /1/config` body that parsed as a JSON object. */
  putConfig(body: Record<string, unknown>): void;
  /** A JSON-RPC call; returns false for a method xmrig does not have. */
  rpc(method: string): boolean;
}

/** How the API is served. */
export interface XmrigHttpApiOptions {
  host: string;
  /** 0 binds any free port. */
  port: number;
  accessToken: string | null;
  restricted: boolean;
  /** Log every request, not only those answered with ≥ 400 (`--verbose`). */
  verbose: boolean;
  log: XmrigLog;
  handlers: HttpApiHandlers;
  /** `--sim-garbage-api`: answer everything with junk and status 200. */
  garbage: boolean;
  /** `--sim-slow-api`: real milliseconds to wait before each answer. */
  slowMs: number;
  random: RandomSource;
}

/** HTTP status names as xmrig prints them (llhttp's): in the status line and in error bodies. */
const STATUS_NAMES: Readonly<Record<number, string>> = Object.freeze({
  200: 'OK',
  204: 'NO_CONTENT',
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
});

/** Methods xmrig's HTTP server handles at all; anything else is 405 before authentication. */
const KNOWN_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'POST', 'PUT']);

/** The headers of every API answer, in xmrig's (alphabetical, `std::map`) order. */
const CORS_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Access-Control-Allow-Headers', 'Authorization, Content-Type'],
  ['Access-Control-Allow-Methods', 'GET, PUT, POST, DELETE'],
  ['Access-Control-Allow-Origin', '*'],
  ['Connection', 'close'],
];

const MAX_BODY_BYTES = 256 * 1024;

interface Answer {
  status: number;
  headers: Array<readonly [string, string]>;
  body: Buffer;
  /** The size xmrig's access log reports: status line, headers and body. */
  size: number;
}

function statusName(status: number): string {
  return STATUS_NAMES[status] ?? 'UNKNOWN';
}

function wireSize(
  status: number,
  headers: ReadonlyArray<readonly [string, string]>,
  body: Buffer,
): number {
  const head = `HTTP/1.1 ${status} ${statusName(status)}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.byteLength(head) + body.length;
}

function jsonAnswer(status: number, doc: JsonValue): Answer {
  const body = Buffer.from(toXmrigJson(doc));
  const headers: Array<readonly [string, string]> = [
    ...CORS_HEADERS,
    ['Content-Type', 'application/json'],
    ['Content-Length', String(body.length)],
  ];
  return { status, headers, body, size: wireSize(status, headers, body) };
}

/** An error answer: `{"status": 403, "error": "FORBIDDEN"}`, as xmrig adds to every status ≥ 400. */
function errorAnswer(status: number): Answer {
  return jsonAnswer(status, { status, error: statusName(status) });
}

function emptyAnswer(status: number): Answer {
  const headers: Array<readonly [string, string]> = [...CORS_HEADERS, ['Content-Length', '0']];
  return {
    status,
    headers,
    body: Buffer.alloc(0),
    size: wireSize(status, headers, Buffer.alloc(0)),
  };
}

/**
 * xmrig's HTTP API (`Httpd` + `ApiRouter`), with its exact semantics:
 * - methods other than DELETE/GET/HEAD/POST/PUT: 405; `GET /favicon.ico`: a bare 404;
 * - authentication: an `Authorization` header when no token is configured is 401; a token
 *   configured (or unrestricted mode, which requires one) and no header is 401; anything but
 *   `Bearer <token>` is 403;
 * - restricted mode refuses every non-GET request and `/1/config`, `/2/config` with 403;
 *   non-GET requests need `Content-Type: application/json` (else 415);
 * - `GET /1/summary` (`/api.json`), `/2/summary`, `/2/backends`, `/2/dmi`, `/1/config`,
 *   `/2/config`; `PUT /1/config` (`/2/config`); `POST /json_rpc` (`pause`, `resume`, `stop`);
 *   anything else is 404;
 * - every error body is `{"status": N, "error": "NAME"}`, answers are pretty-printed JSON with
 *   `Connection: close`, and requests answered with ≥ 400 are logged like xmrig's access log.
 *
 * Faults: `hang()` keeps accepting connections and never answers; `garbage` answers junk with
 * status 200; `slowMs` delays every answer.
 */
export class XmrigHttpApi {
  readonly #options: XmrigHttpApiOptions;
  readonly #server: Server;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #sockets = new Set<Socket>();
  #hung = false;

  constructor(options: XmrigHttpApiOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => this.#onRequest(req, res));
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening; resolves with the bound port. Rejects when the address cannot be bound. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#server.once('error', onError);
      this.#server.listen({ host: this.#options.host, port: this.#options.port }, () => {
        this.#server.off('error', onError);
        resolve((this.#server.address() as AddressInfo).port);
      });
    });
  }

  /** From now on, requests are read and never answered. */
  hang(): void {
    this.#hung = true;
  }

  /** Stops listening and drops every connection, answered or not. */
  close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const startedAt = performance.now();
    if (this.#hung) return;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const answer = tooLarge ? errorAnswer(413) : this.#route(req, Buffer.concat(chunks));
      const send = () => this.#send(req, res, answer, startedAt);
      if (this.#options.slowMs <= 0) {
        send();
        return;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send();
      }, this.#options.slowMs);
      this.#timers.add(timer);
    });
  }

  #route(req: IncomingMessage, body: Buffer): Answer {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const { handlers, restricted } = this.#options;
    if (method === 'OPTIONS') return emptyAnswer(200);
    if (method === 'GET' && url === '/favicon.ico') {
      // xmrig answers this one bare: status line and Content-Length only (45 bytes).
      const bare: Answer = emptyAnswer(404);
      return { ...bare, size: wireSize(404, [['Content-Length', '0']], bare.body) };
    }
    if (!KNOWN_METHODS.has(method)) return errorAnswer(405);
    const auth = this.#authenticate(req);
    if (auth !== 200) return errorAnswer(auth);
    if (method !== 'GET') {
      if (restricted) return errorAnswer(403);
      if (req.headers['content-type'] !== 'application/json') return errorAnswer(415);
    }
    if (method === 'GET') {
      switch (url) {
        case '/1/summary':
        case '/api.json':
          return jsonAnswer(200, handlers.summary(1));
        case '/2/summary':
          return jsonAnswer(200, handlers.summary(2));
        case '/2/backends':
          return jsonAnswer(200, handlers.backends());
        case '/2/dmi':
          return jsonAnswer(200, handlers.dmi());
        case '/1/config':
        case '/2/config':
          return restricted ? errorAnswer(403) : jsonAnswer(200, handlers.config());
        default:
          return errorAnswer(404);
      }
    }
    if (method === 'PUT' && (url === '/1/config' || url === '/2/config')) {
      const doc = parseJson(body);
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return errorAnswer(400);
      handlers.putConfig(doc as Record<string, unknown>);
      return emptyAnswer(204);
    }
    if (method === 'POST' && url === '/json_rpc') return this.#rpc(body);
    return errorAnswer(404);
  }

  /** xmrig's `Httpd::auth`. */
  #authenticate(req: IncomingMessage): number {
    const { accessToken, restricted } = this.#options;
    const header = req.headers.authorization;
    if (header === undefined) return !restricted || accessToken !== null ? 401 : 200;
    if (accessToken === null) return 401;
    return header === `Bearer ${accessToken}` ? 200 : 403;
  }

  /** JSON-RPC 2.0 over `POST /json_rpc`: always status 200, errors in the body. */
  #rpc(body: Buffer): Answer {
    const doc = parseJson(body);
    const call =
      typeof doc === 'object' && doc !== null && !Array.isArray(doc)
        ? (doc as Record<string, unknown>)
        : undefined;
    const id = (call?.id ?? null) as JsonValue;
    const error = (code: number, message: string) =>
      jsonAnswer(200, { id, jsonrpc: '2.0', error: { code, message } });
    if (doc === undefined) return error(-32700, 'Parse error');
    if (!call || typeof call.method !== 'string') return error(-32600, 'Invalid Request');
    if (!this.#options.handlers.rpc(call.method)) return error(-32601, 'Method not found');
    return jsonAnswer(200, { id, jsonrpc: '2.0', result: { status: 'OK' } });
  }

  #send(req: IncomingMessage, res: ServerResponse, answer: Answer, startedAt: number): void {
    if (this.#hung || res.destroyed) return;
    const final = this.#options.garbage ? this.#garbage() : answer;
    res.sendDate = false;
    res.writeHead(final.status, statusName(final.status), Object.fromEntries(final.headers));
    res.end(final.body);
    if (final.status >= 400 || this.#options.verbose) this.#accessLog(req, final, startedAt);
  }

  /** Junk labelled as JSON: 1 to 512 bytes that never parse (the first is 0xff, not UTF-8). */
  #garbage(): Answer {
    const { random } = this.#options;
    const body = randomBytesFrom(random, 1 + Math.floor(random() * 512));
    body[0] = 0xff;
    const headers: Array<readonly [string, string]> = [
      ...CORS_HEADERS,
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.length)],
    ];
    return { status: 200, headers, body, size: wireSize(200, headers, body) };
  }

  #accessLog(req: IncomingMessage, answer: Answer, startedAt: number): void {
    const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const agent = req.headers['user-agent'] ?? '';
    const elapsed = Math.round(performance.now() - startedAt);
    const colour = answer.status >= 400 ? '31' : '32';
    this.#options.log.print(
      `${ansi.cyan(`${ip} `)}${ansi.magentaBold(req.method ?? '')}${ansi.whiteBold(` ${req.url ?? ''} `)}` +
        `\x1b[1;${colour}m${answer.status} ${ansi.clear}${ansi.whiteBold(`${answer.size} `)}` +
        `${ansi.cyanBold(`${elapsed}ms `)}${ansi.blackBold(`"${agent}"`)}`,
    );
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
