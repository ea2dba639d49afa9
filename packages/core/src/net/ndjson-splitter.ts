/**
 * Splits a byte stream into `\n`-terminated lines (a trailing `\r` is dropped), for
 * newline-delimited JSON. A line may arrive in many chunks and a chunk may hold many lines.
 *
 * Bounded: a line longer than `maxLineBytes` is not buffered further; `onOverflow` is called
 * once and the splitter ignores everything after it (the caller closes the connection, as
 * xmrig does when a pool sends more than its buffer holds).
 *
 * Used by the stratum proxy, the simulators' stratum clients and pools, and TT-Miner's simulated
 * JSON-RPC API.
 */
export class NdjsonSplitter {
  readonly #maxLineBytes: number;
  readonly #onLine: (line: string) => void;
  readonly #onOverflow: () => void;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #overflowed = false;

  constructor(maxLineBytes: number, onLine: (line: string) => void, onOverflow: () => void) {
    this.#maxLineBytes = maxLineBytes;
    this.#onLine = onLine;
    this.#onOverflow = onOverflow;
  }

  /** Feeds one chunk; calls `onLine` for every line it completes. */
  push(chunk: Buffer): void {
    let start = 0;
    while (!this.#overflowed) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.#hold(chunk.subarray(start));
        return;
      }
      const part = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.#pendingBytes + part.length > this.#maxLineBytes) {
        this.#overflow();
        return;
      }
      const bytes = this.#pendingBytes === 0 ? part : Buffer.concat([...this.#pending, part]);
      this.#pending = [];
      this.#pendingBytes = 0;
      let line = bytes.toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.#onLine(line);
    }
  }

  /**
   * The stream ended: a last line without its `\n` is passed to `onLine` (an API client that
   * half-closes after its request). Nothing happens after an overflow or when nothing is held.
   */
  end(): void {
    if (this.#overflowed || this.#pendingBytes === 0) return;
    let line = Buffer.concat(this.#pending).toString('utf8');
    this.#pending = [];
    this.#pendingBytes = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.#onLine(line);
  }

  #hold(part: Buffer): void {
    if (part.length === 0) return;
    if (this.#pendingBytes + part.length > this.#maxLineBytes) {
      this.#overflow();
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.#pending.push(Buffer.from(part));
    this.#pendingBytes += part.length;
  }

  #overflow(): void {
    this.#overflowed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#onOverflow();
  }
}
