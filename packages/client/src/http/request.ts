import type { z } from 'zod';
import { apiUrl } from '../api-url.js';
import { RigkitClientError } from '../errors.js';
import { ErrorEnvelopeSchema } from '../schemas/common.js';

/** Per-call options every client method accepts. */
export interface RequestOptions {
  /** Cancels the call; it then rejects with `E_ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
}

/** What {@link request} needs from the client. */
export interface Transport {
  baseUrl: URL;
  token: string | undefined;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** One API call. `schema` undefined means "expect 204, no body". */
export interface Call<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below `/api/v1`, one element per segment (encoded one by one). */
  segments?: readonly string[];
  /** An absolute path from the server root instead (`/metrics`). */
  rootPath?: string;
  query?: Readonly<Record<string, string | number | undefined>>;
  body?: unknown;
  schema: z.ZodType<T> | undefined;
  /** Statuses whose body is parsed with `schema` (default: any 2xx). `/ready` adds 503. */
  okStatuses?: readonly number[];
  /** Return the body as text without JSON parsing (`/metrics`). */
  text?: boolean;
}

/**
 * Runs one call: builds the URL, sends the token, applies the timeout (covering the body too),
 * reads the body with a size cap, and turns every failure into a {@link RigkitClientError}.
 * The response body is always consumed or cancelled, so no socket stays checked out.
 */
export async function request<T>(
  transport: Transport,
  call: Call<T>,
  options: RequestOptions = {},
): Promise<T> {
  const url = call.rootPath
    ? new URL(
        `${transport.baseUrl.pathname.replace(/\/+$/, '')}${call.rootPath}`,
        transport.baseUrl,
      )
    : apiUrl(transport.baseUrl, call.segments ?? [], call.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (transport.token) headers.authorization = `Bearer ${transport.token}`;
  let body: string | undefined;
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }

  const timeoutMs = options.timeoutMs ?? transport.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const external = options.signal;
  const onAbort = () => controller.abort();
  if (external?.aborted) controller.abort();
  else external?.addEventListener('abort', onAbort, { once: true });

  const where = `${call.method} ${url.pathname}`;
  const fail = (error: unknown): RigkitClientError => {
    if (error instanceof RigkitClientError) return error;
    if (timedOut) {
      return new RigkitClientError(
        'E_API_TIMEOUT',
        `${where}: no answer from ${url.origin} within ${timeoutMs} ms`,
        { details: { timeoutMs }, cause: error },
      );
    }
    if (external?.aborted) {
      return new RigkitClientError('E_ABORTED', `${where}: aborted`, { cause: error });
    }
    // undici wraps the socket error: `TypeError('fetch failed', { cause })`.
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const reason = code ?? (typeof cause?.message === 'string' ? cause.message : undefined);
    return new RigkitClientError(
      'E_SERVER_UNREACHABLE',
      `cannot reach the Rigkit server at ${url.origin}${reason ? ` (${reason})` : ''}`,
      { details: code ? { url: url.origin, errno: code } : { url: url.origin }, cause: error },
    );
  };

  try {
    let response: Response;
    try {
      response = await transport.fetch(url, {
        method: call.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        redirect: 'error',
      });
    } catch (error) {
      throw fail(error);
    }
    const status = response.status;
    let text: string;
    try {
      text = await readBody(response, transport.maxResponseBytes, where);
    } catch (error) {
      throw fail(error);
    }
    const ok = call.okStatuses ? call.okStatuses.includes(status) : status >= 200 && status < 300;
    if (!ok) throw errorFromAnswer(status, text, where);
    if (call.schema === undefined) return undefined as T;
    if (call.text) return call.schema.parse(text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new RigkitClientError('E_CLIENT_RESPONSE', `${where}: the answer is not JSON`, {
        status,
      });
    }
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
      throw new RigkitClientError(
        'E_CLIENT_RESPONSE',
        `${where}: the answer does not match the API schema (${issues
          .map((i) => `${i.path || '(root)'}: ${i.message}`)
          .join('; ')})`,
        { status, details: { issues } },
      );
    }
    return parsed.data;
  } finally {
    clearTimeout(timer);
    external?.removeEventListener('abort', onAbort);
  }
}

/** Reads the whole body as UTF-8, refusing (and cancelling) one larger than `maxBytes`. */
async function readBody(response: Response, maxBytes: number, where: string): Promise<string> {
  const stream = response.body;
  if (!stream) return '';
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await stream.cancel().catch(() => {});
    throw tooLarge(where, maxBytes, response.status);
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(where, maxBytes, response.status);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } finally {
    reader.releaseLock();
  }
}

function tooLarge(where: string, maxBytes: number, status: number): RigkitClientError {
  return new RigkitClientError(
    'E_CLIENT_RESPONSE',
    `${where}: the answer is larger than ${maxBytes} bytes`,
    { status, details: { maxBytes } },
  );
}

/** A non-OK answer: the server's error envelope, or `E_CLIENT_RESPONSE` when it is not one. */
function errorFromAnswer(status: number, text: string, where: string): RigkitClientError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  if (envelope.success) {
    const { code, message, details } = envelope.data.error;
    return new RigkitClientError(code, message, { status, details });
  }
  return new RigkitClientError(
    'E_CLIENT_RESPONSE',
    `${where}: HTTP ${status} without a Rigkit error envelope`,
    { status },
  );
}
