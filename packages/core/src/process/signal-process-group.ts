/** Process groups are a POSIX feature; Windows has no negative pids. */
export const supportsProcessGroups = process.platform !== 'win32';

/**
 * Sends `signal` to the process group led by `pid` (`kill(-pid, signal)`), which reaches the
 * grandchildren a miner started too.
 *
 * Returns `true` if the group received the signal, `false` if there is no such group (ESRCH)
 * or the group may not be signalled (EPERM, e.g. a member changed its user id), or the
 * platform has no process groups. Callers that hold a handle to the leader itself then fall
 * back to signalling it alone. Other errors (EINVAL: unknown signal) are thrown.
 */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (!supportsProcessGroups || !Number.isSafeInteger(pid) || pid <= 1) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

/**
 * Sends `signal` to the single process `pid`. Returns `false` if it does not exist (ESRCH)
 * or may not be signalled (EPERM).
 */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}
