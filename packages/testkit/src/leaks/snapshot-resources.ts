import { readdirSync } from 'node:fs';

/** Active resources by type plus the open file descriptor count (Linux; `undefined` elsewhere). */
export interface ResourceSnapshot {
  /** `process.getActiveResourcesInfo()` counted by type, e.g. `{ Timeout: 2, TCPSocketWrap: 1 }`. */
  resources: Record<string, number>;
  /** Open file descriptors of this process, from `/proc/self/fd`. */
  fds: number | undefined;
}

/** Takes a {@link ResourceSnapshot} of this process now. */
export function snapshotResources(): ResourceSnapshot {
  const resources: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    resources[type] = (resources[type] ?? 0) + 1;
  }
  return { resources, fds: countOpenFds() };
}

function countOpenFds(): number | undefined {
  try {
    // The readdir itself holds one fd while it runs; it is closed before we return.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/**
 * Resource types that grew between two snapshots, with how much. Types that shrank or stayed
 * equal are omitted; `fds` is reported under the key `fd` when both snapshots have it.
 */
export function diffResources(
  before: ResourceSnapshot,
  after: ResourceSnapshot,
): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [type, count] of Object.entries(after.resources)) {
    const delta = count - (before.resources[type] ?? 0);
    if (delta > 0) grown[type] = delta;
  }
  if (before.fds !== undefined && after.fds !== undefined && after.fds > before.fds) {
    grown.fd = after.fds - before.fds;
  }
  return grown;
}
