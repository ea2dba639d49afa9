/**
 * The keys xmrig reads from stdin, for core's `miner.write()`:
 *
 * ```ts
 * miner.write(xmrigCommands.pause);  // xmrig prints "paused, press r to resume"
 * miner.write(xmrigCommands.resume); // "resumed"
 * miner.write(xmrigCommands.hashrate); // prints the speed lines now
 * ```
 *
 * xmrig reads stdin one byte at a time and acts on single keys, so write the bare letter; a
 * trailing newline is read as an unknown key and ignored.
 */
export const xmrigCommands = Object.freeze({
  /** Print the hashrate now (`h`). */
  hashrate: 'h',
  /** Pause mining (`p`). */
  pause: 'p',
  /** Resume mining (`r`). */
  resume: 'r',
  /** Print share results (`s`). */
  results: 's',
  /** Print connection details (`c`). */
  connection: 'c',
} as const);

/** One of {@link xmrigCommands}' keys. */
export type XmrigCommand = (typeof xmrigCommands)[keyof typeof xmrigCommands];
