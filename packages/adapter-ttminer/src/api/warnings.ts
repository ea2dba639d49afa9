/** Most warnings one reading keeps; garbage must not grow a sample without bound. */
export const MAX_WARNINGS = 16;

/** Collects the surprises of one reading, bounded by {@link MAX_WARNINGS}. */
export class Warnings {
  readonly #list: string[] = [];
  #dropped = 0;

  add(message: string): void {
    if (this.#list.length < MAX_WARNINGS) this.#list.push(message);
    else this.#dropped += 1;
  }

  /** The warnings so far, with a closing "…and N more" when some were dropped. */
  list(): string[] {
    return this.#dropped === 0
      ? [...this.#list]
      : [...this.#list, `…and ${this.#dropped} more unexpected values`];
  }
}

/** Names a value's type for a warning, never quoting text (it could be anything). */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}` : String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : typeof value;
}
