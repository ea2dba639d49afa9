import { readdirSync } from 'node:fs';

/**
 * Counts the file descriptors this process has open, or `undefined` where that cannot be
 * read cheaply.
 *
 * Only Linux exposes `/proc/self/fd`; elsewhere (macOS, Windows) there is no cheap, portable
 * way, so callers get `undefined` rather than a guess. The listing itself holds one
 * descriptor open for the directory while it runs, hence the `- 1`. A failure (e.g. the
 * process is already out of descriptors, or /proc is not mounted in a container) also
 * degrades to `undefined`: a monitor must not throw because the thing it watches is unwell.
 */
export function readOpenFds(platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform !== 'linux') return undefined;
  try {
    return Math.max(0, readdirSync('/proc/self/fd').length - 1);
  } catch {
    return undefined;
  }
}
