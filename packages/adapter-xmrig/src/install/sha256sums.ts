/**
 * Parses a `SHA256SUMS` file (`sha256sum` output: `<64 hex>  <file>`, or `<hex> *<file>` in
 * binary mode) into file name → lower-case digest. Lines that do not match are skipped; a
 * name listed twice keeps its first digest.
 */
export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9A-Fa-f]{64}) [ *](.+)$/.exec(line.trim());
    if (!match) continue;
    const name = (match[2] as string).replace(/^\.\//, '');
    if (!sums.has(name)) sums.set(name, (match[1] as string).toLowerCase());
  }
  return sums;
}
