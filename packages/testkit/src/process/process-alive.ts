import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * True while `pid` names a live process. A zombie (exited, not yet reaped by its parent —
 * common for orphans in containers whose init does not reap) counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the last ')' (the command name may contain parentheses).
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    // No /proc (not Linux), or it vanished between the two looks.
    return false;
  }
}

/**
 * Polls until `pid` is gone (see {@link isProcessAlive}); resolves `true` when it is, `false`
 * if it is still alive after `timeoutMs`. Polling with a deadline, not a fixed sleep: it
 * returns as soon as the process has gone.
 */
export async function waitForProcessExit(
  pid: number,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isProcessAlive(pid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
