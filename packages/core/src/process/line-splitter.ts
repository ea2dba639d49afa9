import { StringDecoder } from 'node:string_decoder';

/** Default {@link LineSplitterOptions.maxLineLength}: 16 KiB. */
export const DEFAULT_MAX_LINE_LENGTH = 16 * 1024;

/** Receives each complete line, without its line ending. */
export type LineCallback = (line: string, truncated: boolean) => void;

/** Options of a {@link LineSplitter}. */
export interface LineSplitterOptions {
  /**
   * Longest line kept, in UTF-16 code units (characters for ASCII output). A longer line is
   * cut here, reported with `truncated: true`, and the rest of it up to the next newline is
   * dropped. Default {@link DEFAULT_MAX_LINE_LENGTH}.
   */
  maxLineLength?: number;
}

/**
 * Turns a stream of chunks into lines, with bounded memory.
 *
 * Lines end at `\n`; a `\r` right before it is removed too, so `\r\n` output reads the same.
 * UTF-8 is decoded with a {@link StringDecoder}, so a character split across two chunks is
 * never mangled. At most `maxLineLength + 1` characters are ever held between chunks: a miner
 * that prints a megabyte without a newline costs the same memory as one that prints a line.
 *
 * Lines are handed to a callback instead of returned in arrays, so a busy stream allocates
 * nothing but the line strings themselves.
 *
 * Feed one kind of chunk per splitter: a string pushed while the decoder holds half a
 * character from a Buffer would be placed before that character's remaining bytes.
 */
export class LineSplitter {
  readonly #onLine: LineCallback;
  readonly #maxLineLength: number;
  readonly #decoder = new StringDecoder('utf8');
  /** Text of the current line seen so far; never longer than `maxLineLength + 1`. */
  #partial = '';
  /** The current line was already cut and emitted; drop input until its newline. */
  #discarding = false;
  #ended = false;

  /**
   * @param onLine called synchronously from {@link push} and {@link end}, once per line.
   */
  constructor(onLine: LineCallback, options: LineSplitterOptions = {}) {
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${max}`);
    }
    this.#onLine = onLine;
    this.#maxLineLength = max;
  }

  /** Characters held for the current, unfinished line: never more than `maxLineLength + 1`. */
  get pending(): number {
    return this.#partial.length;
  }

  /** Feeds one chunk; calls the callback for every line it completes. */
  push(chunk: Buffer | Uint8Array | string): void {
    if (this.#ended) throw new Error('LineSplitter.push() after end()');
    this.#consume(typeof chunk === 'string' ? chunk : this.#decoder.write(chunk as Buffer));
  }

  /**
   * Flushes the last line when the input did not end with a newline (an empty remainder is
   * not a line). Further pushes throw; further `end()` calls do nothing.
   */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#consume(this.#decoder.end());
    if (this.#discarding) {
      this.#discarding = false;
      return;
    }
    if (this.#partial.length > 0) this.#finishLine();
  }

  #consume(text: string): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) {
        this.#append(text, start, text.length);
        return;
      }
      this.#append(text, start, newline);
      if (this.#discarding) {
        this.#discarding = false;
      } else {
        this.#finishLine();
      }
      start = newline + 1;
    }
  }

  #append(text: string, from: number, to: number): void {
    if (this.#discarding || from === to) return;
    const max = this.#maxLineLength;
    // One character of slack: a line of exactly `max` characters followed by `\r\n` must
    // not count as too long before its `\n` shows whether that `\r` is part of the ending.
    if (this.#partial.length + (to - from) <= max + 1) {
      this.#partial += text.slice(from, to);
      return;
    }
    const head = this.#partial + text.slice(from, from + Math.max(0, max - this.#partial.length));
    this.#partial = '';
    this.#discarding = true;
    this.#onLine(cut(head, max), true);
  }

  #finishLine(): void {
    let line = this.#partial;
    this.#partial = '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > this.#maxLineLength) {
      this.#onLine(cut(line, this.#maxLineLength), true);
    } else {
      this.#onLine(line, false);
    }
  }
}

/** The first `max` code units of `text`, without leaving half a surrogate pair at the end. */
function cut(text: string, max: number): string {
  const end = Math.min(text.length, max);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
