/** A JSON-RPC id as stratum peers send it: echoed back verbatim, never interpreted. */
export type JsonRpcId = number | string | null;

/** One parsed stratum line: a request/notification (`method`) or a reply (`result`/`error`). */
export interface JsonRpcMessage {
  id: JsonRpcId;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

/** Longest id echoed back; a longer one is a protocol error, not something to store. */
const MAX_ID_LENGTH = 128;
const MAX_METHOD_LENGTH = 64;

/**
 * Parses one line into a JSON-RPC message, or returns why it is not one (for the error reply and
 * a log line). Numbers that overflow parse as `Infinity` and fail the field checks later, so no
 * input can throw past this function.
 */
export function parseJsonRpcLine(line: string): JsonRpcMessage | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'invalid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'a message must be a JSON object';
  }
  const message = value as Record<string, unknown>;
  const id = message.id ?? null;
  if (
    !(
      id === null ||
      (typeof id === 'number' && Number.isFinite(id)) ||
      (typeof id === 'string' && id.length <= MAX_ID_LENGTH)
    )
  ) {
    return 'invalid id';
  }
  const method = message.method;
  if (method !== undefined && (typeof method !== 'string' || method.length > MAX_METHOD_LENGTH)) {
    return 'invalid method';
  }
  message.id = id;
  return message as unknown as JsonRpcMessage;
}
