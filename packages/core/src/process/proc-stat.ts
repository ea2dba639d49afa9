import { readFile } from 'node:fs/promises';

/**
 * What identifies one particular process, not just its pid: pids are recycled, but a pid
 * together with its start time is unique until the next reboot, and the command line guards
 * against the start time repeating after one.
 */
export interface ProcessFingerprint {
  pid: number;
  /** Field 22 of `/proc/<pid>/stat`: clock ticks after boot, kept as the exact decimal text. */
  startTime: string;
  /** `/proc/<pid>/cmdline` split at its NUL bytes: argv as the kernel sees it. */
  cmdline: string[];
}

/** The fields of `/proc/<pid>/stat` that Rigkit reads. */
export interface ProcStat {
  /** Executable name (field 2) without its parentheses; may itself contain spaces and `)`. */
  comm: string;
  /** One-letter state (field 3): `R`, `S`, `D`, `Z` (zombie), `X` (dead), … */
  state: string;
  /** Field 22, clock ticks after boot, as decimal text. */
  startTime: string;
}

/**
 * Parses the text of `/proc/<pid>/stat`. Returns `undefined` when it does not look like one.
 *
 * `comm` is the only field that may contain spaces or parentheses (a process can name itself
 * `a) b (c`), so the fields are counted from the LAST `)`, never from the first.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  // After ") " come the fields from 3 (state) on, separated by single spaces.
  const fields = text
    .slice(close + 2)
    .trimEnd()
    .split(' ');
  const state = fields[0];
  const startTime = fields[22 - 3];
  if (state === undefined || state.length !== 1) return undefined;
  if (startTime === undefined || !/^\d+$/.test(startTime)) return undefined;
  return { comm: text.slice(open + 1, close), state, startTime };
}

/**
 * Reads the fingerprint of a live process from `/proc`.
 *
 * Returns `undefined` when the process does not exist, has already exited and only waits to
 * be reaped (a zombie has no command line left to compare), cannot be read, or when the
 * platform has no Linux-style `/proc` (every platform but Linux, by design: a guess from
 * another source could make us kill the wrong process).
 */
export async function readProcessFingerprint(pid: number): Promise<ProcessFingerprint | undefined> {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    const before = await readStat(pid);
    if (before === undefined) return undefined;
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    // The pid may have exited and been reused between the two reads; a second look at the
    // start time makes sure the command line belongs to the process we first saw.
    const after = await readStat(pid);
    if (after === undefined || after.startTime !== before.startTime) return undefined;
    const cmdline = raw.split('\0');
    if (cmdline.at(-1) === '') cmdline.pop();
    return { pid, startTime: before.startTime, cmdline };
  } catch {
    // ENOENT (gone), ESRCH (exited mid-read), EACCES (hidepid): all mean "cannot vouch for it".
    return undefined;
  }
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  if (stat === undefined || stat.state === 'Z' || stat.state === 'X') return undefined;
  return stat;
}
