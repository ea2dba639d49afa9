import { stripAnsi } from '../shared/ansi.js';

/** Where {@link TtminerLog} writes and how. */
export interface TtminerLogOptions {
  /** Keep ANSI colours (TT-Miner's default) or strip them (`-nocolor`). */
  colors: boolean;
  /** Receives whole lines, each ending in `\n`. */
  write: (text: string) => void;
  /** The wall clock for timestamps (local time, as TT-Miner prints). */
  now?: () => Date;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `HH:MM:SS.mmm` in local time. */
export function formatTimestamp(date: Date): string {
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${ms}`;
}

/** A hashrate as TT-Miner's lines print it: two decimals and `H/s`, `kH/s`, `MH/s` or `GH/s`. */
export function formatRate(hashesPerSecond: number): string {
  const h = Math.max(0, hashesPerSecond);
  if (h >= 1e9) return `${(h / 1e9).toFixed(2)} GH/s`;
  if (h >= 1e6) return `${(h / 1e6).toFixed(2)} MH/s`;
  if (h >= 1e3) return `${(h / 1e3).toFixed(2)} kH/s`;
  return `${h.toFixed(2)} H/s`;
}

/**
 * Writes TT-Miner's lines: `HH:MM:SS.mmm <message>` (the canonical layout), and the banner as
 * it is. Messages carry their own colours; `-nocolor` strips them, so the plain text is the
 * same either way.
 */
export class TtminerLog {
  readonly #colors: boolean;
  readonly #write: (text: string) => void;
  readonly #now: () => Date;
  #muted = false;

  constructor(options: TtminerLogOptions) {
    this.#colors = options.colors;
    this.#write = options.write;
    this.#now = options.now ?? (() => new Date());
  }

  /** Drops every line from now on (a hung simulator prints nothing). */
  mute(): void {
    this.#muted = true;
  }

  /** `HH:MM:SS.mmm message`. */
  line(message: string): void {
    this.#emit(`${formatTimestamp(this.#now())} ${message}`);
  }

  /** A line without a timestamp (the banner). */
  raw(text: string): void {
    this.#emit(text);
  }

  #emit(text: string): void {
    if (this.#muted) return;
    this.#write(`${this.#colors ? text : stripAnsi(text)}\n`);
  }
}
