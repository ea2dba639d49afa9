/** The keys xmrig acts on (either case): hashrate, pause, resume, results, connection. */
export type XmrigKey = 'h' | 'p' | 'r' | 's' | 'c';

const KEYS = new Set<string>(['h', 'p', 'r', 's', 'c']);

/** Ctrl+C arrives as a byte when a terminal is in raw mode. */
const CTRL_C = 0x03;

/** The part of `process.stdin` {@link listenToStdinKeys} uses. */
export interface KeyInput {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * Reads single keys from stdin like xmrig's console: every byte is a command, so `p` pauses
 * whether or not a newline follows, and other bytes (a newline, unknown letters) are ignored.
 * A terminal is put in raw mode so keys act without Enter; there Ctrl+C calls `onInterrupt`,
 * since raw mode turns off the terminal's own SIGINT.
 *
 * Returns a function that stops listening (and restores the terminal).
 */
export function listenToStdinKeys(
  input: KeyInput,
  onKey: (key: XmrigKey) => void,
  onInterrupt: () => void,
): () => void {
  const raw = input.isTTY === true && typeof input.setRawMode === 'function';
  if (raw) input.setRawMode?.(true);
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (const byte of bytes) {
      if (byte === CTRL_C && raw) {
        onInterrupt();
        continue;
      }
      const key = String.fromCharCode(byte).toLowerCase();
      if (KEYS.has(key)) onKey(key as XmrigKey);
    }
  };
  input.on('data', onData);
  // A closed or broken stdin (the manager went away) is not the miner's problem.
  input.on('error', () => {});
  input.resume();
  return () => {
    input.off('data', onData);
    if (raw) input.setRawMode?.(false);
    input.pause();
  };
}
