import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcessFingerprint } from './proc-stat.js';

/** A real /proc/<pid>/stat line (52 fields) with `comm` swapped for the given name. */
function statLine(comm: string, startTime = '84358', state = 'S'): string {
  return `9532 (${comm}) ${state} 9523 9523 7943 0 -1 4194304 98 0 0 0 0 0 0 0 20 0 1 0 ${startTime} 3133440 361 18446744073709551615 94304646664192 94304646684073 140736861790320 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94304646700080 94304646701696 94305511813120 140736861797081 140736861797101 140736861797101 140736861798379 0\n`;
}

describe('parseProcStat', () => {
  it('reads state and start time (field 22)', () => {
    expect(parseProcStat(statLine('cat'))).toEqual({ comm: 'cat', state: 'S', startTime: '84358' });
  });

  it('counts fields from the last ")" when comm holds spaces and parentheses', () => {
    expect(parseProcStat(statLine('a) b (c) 1 2', '777', 'R'))).toEqual({
      comm: 'a) b (c) 1 2',
      state: 'R',
      startTime: '777',
    });
    expect(parseProcStat(statLine(') )', '5'))?.startTime).toBe('5');
  });

  it('rejects text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1 2')).toBeUndefined();
    expect(parseProcStat('12 x S 1')).toBeUndefined();
    expect(parseProcStat(statLine('x', 'abc'))).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('readProcessFingerprint (Linux)', () => {
  it('fingerprints this process consistently', async () => {
    const a = await readProcessFingerprint(process.pid);
    const b = await readProcessFingerprint(process.pid);
    expect(a).toBeDefined();
    expect(a?.pid).toBe(process.pid);
    expect(a?.startTime).toMatch(/^\d+$/);
    expect(a?.cmdline.length).toBeGreaterThan(0);
    expect(a?.cmdline.at(-1)).not.toBe('');
    expect(b).toEqual(a);
  });

  it('returns undefined for a pid that cannot exist and for invalid pids', async () => {
    // Above PID_MAX_LIMIT (2^22): no Linux system can have this pid.
    expect(await readProcessFingerprint(2 ** 22 + 1)).toBeUndefined();
    expect(await readProcessFingerprint(0)).toBeUndefined();
    expect(await readProcessFingerprint(-1)).toBeUndefined();
    expect(await readProcessFingerprint(1.5)).toBeUndefined();
  });
});
