/**
 * A JSON token written verbatim. Two things JavaScript numbers cannot say need it:
 * - 18446744073709551615 (UINT64_MAX, xmrig's "no difficulty yet"): `JSON.stringify` of the
 *   nearest double prints 18446744073709552000;
 * - doubles with an integral value: rapidjson writes `0.0` and `239.0`, JavaScript `0` and `239`.
 */
export class JsonLiteral {
  constructor(readonly text: string) {}
}

/** A value {@link toXmrigJson} can write. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonLiteral
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** UINT64_MAX as xmrig prints it. */
export const UINT64_MAX_TEXT = '18446744073709551615';

/** A number written the way rapidjson writes a double: `21.75`, `0.0`, `239.0`. */
export function jsonDouble(value: number): JsonLiteral {
  if (!Number.isFinite(value)) return new JsonLiteral('null');
  return new JsonLiteral(Number.isInteger(value) ? value.toFixed(1) : String(value));
}

/** An unsigned 64-bit integer written exactly (a bigint, or a safe integer). */
export function jsonUint64(value: bigint | number): JsonLiteral {
  return new JsonLiteral(BigInt(value).toString());
}

const INDENT = '    ';

function isScalar(value: JsonValue): boolean {
  return value === null || typeof value !== 'object' || value instanceof JsonLiteral;
}

function scalar(value: JsonValue): string {
  if (value instanceof JsonLiteral) return value.text;
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

function write(value: JsonValue, depth: number): string {
  if (isScalar(value)) return scalar(value);
  const inner = INDENT.repeat(depth + 1);
  const outer = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    if (items.length === 0) return '[]';
    // xmrig keeps arrays of plain values on one line (`[21.75, null, null]`).
    if (items.every(isScalar)) return `[${items.map(scalar).join(', ')}]`;
    return `[\n${items.map((item) => inner + write(item, depth + 1)).join(',\n')}\n${outer}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: JsonValue });
  if (entries.length === 0) return '{}';
  const body = entries
    .map(([key, item]) => `${inner}${JSON.stringify(key)}: ${write(item, depth + 1)}`)
    .join(',\n');
  return `{\n${body}\n${outer}}`;
}

/**
 * Serialises `value` the way xmrig's HTTP API prints JSON (and the way the fixtures look):
 * four-space indentation, `"key": value`, arrays of plain values on one line, and
 * {@link JsonLiteral}s verbatim.
 */
export function toXmrigJson(value: JsonValue): string {
  return write(value, 0);
}
