import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { PidfileEntry, PidfileStore } from './pidfile.js';
import { type ProcessFingerprint, readProcessFingerprint } from './proc-stat.js';
import { signalProcess, signalProcessGroup } from './signal-process-group.js';

/** How often a dying orphan is checked. */
const POLL_MS = 25;
/** How long to wait for an orphan to vanish after SIGKILL before reporting it killed anyway. */
const AFTER_KILL_MS = 1000;

/** What {@link reapOrphans} did about one pidfile. */
export interface ReapResult {
  minerId: string;
  pid: number;
  /**
   * `killed`: the recorded process was still running and was stopped (SIGTERM, then SIGKILL).
   * `gone`: no such process any more (or no way to tell: see {@link reapOrphans}).
   * `recycled`: the pid now belongs to a different process, which was left alone.
   */
  action: 'killed' | 'gone' | 'recycled';
}

/** Options of {@link reapOrphans}. */
export interface ReapOrphansOptions {
  logger: Logger;
  /** How long an orphan may take to exit after SIGTERM before it is SIGKILLed. */
  graceMs: number;
  /** Cuts every wait short: orphans still running are SIGKILLed at once. */
  signal?: AbortSignal;
}

/**
 * Stops the children a crashed manager left behind, found through their pidfiles.
 *
 * A process is only signalled when its pid, start time AND command line all match the
 * pidfile: a pid reused by an unrelated process is reported `recycled` and never touched.
 * A matching orphan's whole process group gets SIGTERM, up to `graceMs` to exit, then
 * SIGKILL. Every pidfile is removed, whatever the outcome.
 *
 * Off Linux there are no fingerprints to compare, so nothing is ever signalled: every entry
 * is reported `gone` and its pidfile removed. Reaping is a Linux feature.
 *
 * Never rejects because of one orphan; an aborted `signal` only shortens the waits.
 */
export async function reapOrphans(
  store: PidfileStore,
  options: ReapOrphansOptions,
): Promise<ReapResult[]> {
  const entries = await store.list();
  // Orphans are independent: their grace periods run side by side, not one after another.
  return Promise.all(entries.map((entry) => reapOne(store, entry, options)));
}

async function reapOne(
  store: PidfileStore,
  entry: PidfileEntry,
  { logger, graceMs, signal }: ReapOrphansOptions,
): Promise<ReapResult> {
  const { minerId, fingerprint: recorded } = entry;
  const pid = recorded.pid;
  const action = await stopIfSame(recorded, graceMs, signal, logger, minerId);
  try {
    await store.remove(minerId);
  } catch (error) {
    logger.warn(
      { minerId, pid, code: (error as NodeJS.ErrnoException).code },
      'could not remove pidfile',
    );
  }
  if (action === 'killed') logger.warn({ minerId, pid }, 'killed orphaned miner process');
  else logger.debug({ minerId, pid, action }, 'stale pidfile removed');
  return { minerId, pid, action };
}

async function stopIfSame(
  recorded: ProcessFingerprint,
  graceMs: number,
  signal: AbortSignal | undefined,
  logger: Logger,
  minerId: string,
): Promise<ReapResult['action']> {
  const pid = recorded.pid;
  const live = await readProcessFingerprint(pid);
  if (live === undefined) return 'gone';
  if (!sameProcess(recorded, live)) return 'recycled';

  if (!signalOrphan(pid, 'SIGTERM')) {
    // ESRCH: it exited just now. EPERM: it is ours by fingerprint but not by user id (a
    // setuid miner); nothing this process can do about it except say so.
    if (await isAlive(recorded)) logger.warn({ minerId, pid }, 'not allowed to signal orphan');
    return 'gone';
  }
  if (!(await waitUntilGone(recorded, graceMs, signal))) {
    signalOrphan(pid, 'SIGKILL');
    const gone = await waitUntilGone(recorded, AFTER_KILL_MS, signal);
    if (!gone && !signal?.aborted) {
      // Uninterruptible sleep (state D) can delay even SIGKILL; it will still land.
      logger.warn({ minerId, pid }, 'orphan still present after SIGKILL');
    }
  }
  // Members of the group that outlived their leader (a miner's helper ignoring SIGTERM).
  // Group only: the leader's pid may be free for reuse now, its group id is not while a
  // member exists.
  signalProcessGroup(pid, 'SIGKILL');
  return 'killed';
}

function sameProcess(a: ProcessFingerprint, b: ProcessFingerprint): boolean {
  return (
    a.pid === b.pid &&
    a.startTime === b.startTime &&
    a.cmdline.length === b.cmdline.length &&
    a.cmdline.every((arg, i) => arg === b.cmdline[i])
  );
}

/** Signals the orphan's group, or the orphan alone if it left its group. */
function signalOrphan(pid: number, sig: NodeJS.Signals): boolean {
  return signalProcessGroup(pid, sig) || signalProcess(pid, sig);
}

/** Polls until the recorded process no longer exists; `false` if it outlived `ms`. */
async function waitUntilGone(
  recorded: ProcessFingerprint,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!(await isAlive(recorded))) return true;
    if (Date.now() >= deadline || signal?.aborted) return false;
    try {
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())), undefined, { signal });
    } catch {
      // Aborted: one last look, then the caller escalates.
      return !(await isAlive(recorded));
    }
  }
}

/** The recorded process still exists (same pid and start time, not a zombie). */
async function isAlive(recorded: ProcessFingerprint): Promise<boolean> {
  const live = await readProcessFingerprint(recorded.pid);
  return live !== undefined && live.startTime === recorded.startTime;
}
