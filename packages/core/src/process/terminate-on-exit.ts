import { signalProcess, signalProcessGroup } from './signal-process-group.js';

const live = new Set<number>();

/**
 * Sends SIGTERM to every tracked child's process group when this Node process exits normally
 * (`process.exit()` or an empty event loop).
 *
 * execa's `cleanup` option does this for ordinary children but deliberately skips detached
 * ones, and ours are detached to lead their own process groups, so Rigkit does it itself.
 * SIGTERM, not SIGKILL: an `exit` handler cannot wait, and a miner killed outright cannot
 * undo what it changed (XMRig restores MSR registers on a clean exit). A child that ignores
 * SIGTERM keeps its pidfile and is reaped by the next manager start. A parent killed by a
 * signal runs no handler at all; pidfiles cover that case too.
 *
 * One shared `exit` listener exists while at least one child is tracked, so a thousand
 * children never trip the max-listeners warning and none is left behind when they are gone.
 *
 * @returns a function that stops tracking `pid`; call it once the child has exited.
 */
export function terminateOnExit(pid: number): () => void {
  if (live.size === 0) process.on('exit', onExit);
  live.add(pid);
  return () => {
    if (live.delete(pid) && live.size === 0) process.off('exit', onExit);
  };
}

function onExit(): void {
  for (const pid of live) {
    try {
      // The pid is still our unreaped child, so falling back to it alone is safe.
      if (!signalProcessGroup(pid, 'SIGTERM')) signalProcess(pid, 'SIGTERM');
    } catch {
      // An exit handler must not throw; the pidfile remains for the next start.
    }
  }
}
