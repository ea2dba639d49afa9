/** Control characters: never stored from a peer (they would corrupt logs and terminals). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string of at most `max` characters without control characters, or undefined. */
export function cleanString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max && !CONTROL.test(value)
    ? value
    : undefined;
}
