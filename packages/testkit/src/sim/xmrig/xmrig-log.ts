import { ansi, stripAnsi } from '../shared/ansi.js';

/**
 * xmrig's log tags (`Tags.cpp`) and their background colours. The text is padded to eight
 * characters and framed by spaces, which is why a fixture line reads `]  net      use pool`.
 */
const TAGS = {
  net: '44;1',
  cpu: '46;1',
  miner: '45;1',
  signal: '43;1',
  config: '46;1',
  randomx: '44',
  msr: '44',
  bench: '42;1',
  http: '46;1',
} as const;

/** A tag xmrig prints in front of a log message. */
export type XmrigTag = keyof typeof TAGS;

/** Where {@link XmrigLog} writes and how. */
export interface XmrigLogOptions {
  /** Keep ANSI colours (xmrig's default, even into a pipe) or strip them (`--no-color`). */
  colors: boolean;
  /** Receives whole lines, each ending in `\n`. */
  write: (text: string) => void;
  /** The wall clock for timestamps (xmrig prints local time). */
  now?: () => Date;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * `[2026-11-25 00:04:38.061] ` in local time, the milliseconds dimmed as xmrig does
 * (`"[%d-%02d-%02d %02d:%02d:%02d" BLACK_BOLD(".%03d") "] "`).
 */
export function formatTimestamp(date: Date): string {
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  const time = `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  return `[${day} ${time}${ansi.blackBold(`.${ms}`)}] `;
}

/** The coloured tag as it appears in a line: ` net     ` on a blue background. */
export function formatTag(tag: XmrigTag): string {
  return ansi.tag(TAGS[tag], ` ${tag.padEnd(8)}`);
}

/**
 * Formats and writes lines in xmrig's layout: banner lines as they are, log lines as
 * `[timestamp]  tag      message`, and untagged lines (`Log::print`, e.g. the HTTP access log)
 * as `[timestamp] message`.
 */
export class XmrigLog {
  readonly #colors: boolean;
  readonly #write: (text: string) => void;
  readonly #now: () => Date;
  #muted = false;

  constructor(options: XmrigLogOptions) {
    this.#colors = options.colors;
    this.#write = options.write;
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether colours are kept. */
  get colors(): boolean {
    return this.#colors;
  }

  /** Drops every line from now on (a hung simulator prints nothing). */
  mute(): void {
    this.#muted = true;
  }

  /**
   * A tagged log line. `message` carries its own {@link ansi} colours (red for what xmrig logs
   * with `LOG_ERR`), exactly as xmrig's format strings do.
   */
  info(tag: XmrigTag, message: string): void {
    this.#emit(`${formatTimestamp(this.#now())}${formatTag(tag)} ${message}`);
  }

  /** An untagged line with a timestamp. */
  print(message: string): void {
    this.#emit(`${formatTimestamp(this.#now())}${message}`);
  }

  /** A line without timestamp (the banner). */
  raw(line: string): void {
    this.#emit(line);
  }

  #emit(line: string): void {
    if (this.#muted) return;
    this.#write(`${this.#colors ? line : stripAnsi(line)}\n`);
  }
}
