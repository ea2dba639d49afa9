import { z } from 'zod';

/** Most warnings one reading keeps; garbage must not grow a sample without bound. */
export const MAX_WARNINGS = 16;

const rate = z.number().nonnegative();
const count = z.int().nonnegative();
const text = z.string();

/**
 * Reads fields of an untrusted JSON answer without ever throwing: a value of the wrong type
 * becomes `undefined` plus a warning naming its path and type (never the value, which could
 * be anything). `null` and missing fields are normal in xmrig answers and are not warned about.
 */
export class FieldReader {
  readonly #warnings: string[] = [];
  #dropped = 0;

  /** The warnings collected so far (bounded by {@link MAX_WARNINGS}). */
  get warnings(): string[] {
    return this.#dropped === 0
      ? [...this.#warnings]
      : [...this.#warnings, `…and ${this.#dropped} more unexpected values`];
  }

  /** Records a warning. */
  warn(message: string): void {
    if (this.#warnings.length < MAX_WARNINGS) this.#warnings.push(message);
    else this.#dropped += 1;
  }

  /** A plain object, or undefined (warned unless missing/null). */
  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.#unexpected(path, value, 'an object');
    return undefined;
  }

  /** An array, or undefined (warned unless missing/null). */
  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.#unexpected(path, value, 'an array');
    return undefined;
  }

  /** A hashrate or other finite number ≥ 0. */
  rate(value: unknown, path: string): number | undefined {
    return this.#parse(rate, value, path, 'a number ≥ 0');
  }

  /** A whole number ≥ 0 (share counters). */
  count(value: unknown, path: string): number | undefined {
    return this.#parse(count, value, path, 'an integer ≥ 0');
  }

  /** A string; empty strings count as missing. */
  string(value: unknown, path: string): string | undefined {
    const parsed = this.#parse(text, value, path, 'a string');
    return parsed === '' ? undefined : parsed;
  }

  #parse<T>(schema: z.ZodType<T>, value: unknown, path: string, expected: string): T | undefined {
    if (value === undefined || value === null) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    this.#unexpected(path, value, expected);
    return undefined;
  }

  #unexpected(path: string, value: unknown, expected: string): void {
    this.warn(`${path}: expected ${expected}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : typeof value;
}
