import { describe, expect, it } from 'vitest';
import { type ArchiveEntry, checkArchiveEntries } from './archive-entry-policy.js';

const file = (path: string): ArchiveEntry => ({ path, type: 'File', size: 1 });
const dir = (path: string): ArchiveEntry => ({ path, type: 'Directory', size: 0 });
const link = (path: string, linkpath: string): ArchiveEntry => ({
  path,
  type: 'SymbolicLink',
  linkpath,
  size: 0,
});
const reasonOf = (entries: ArchiveEntry[]) => {
  try {
    checkArchiveEntries(entries);
    return 'ok';
  } catch (error) {
    return (error as { details?: { reason?: string } }).details?.reason;
  }
};

describe('checkArchiveEntries', () => {
  it('approves a release layout with links that stay inside', () => {
    const entries = [
      dir('./'),
      dir('xmrig-6.26.0/'),
      file('xmrig-6.26.0/xmrig'),
      link('xmrig-6.26.0/current', 'xmrig'),
      link('bin', 'xmrig-6.26.0'),
      link('up', 'xmrig-6.26.0/../xmrig-6.26.0/xmrig'),
      { path: 'xmrig-6.26.0/hard', type: 'Link', linkpath: 'xmrig-6.26.0/xmrig', size: 0 },
    ];
    expect(checkArchiveEntries(entries)).toEqual(new Set(entries.map((e) => e.path)));
  });

  it('names the reason for each refusal', () => {
    expect(reasonOf([file('a/../../b')])).toBe('parent-segment');
    expect(reasonOf([file('/etc/passwd')])).toBe('absolute-path');
    expect(reasonOf([file('C:/x')])).toBe('absolute-path');
    expect(reasonOf([file('a\\b')])).toBe('bad-path');
    expect(reasonOf([file('./')])).toBe('bad-path');
    expect(reasonOf([{ path: 'fifo', type: 'FIFO', size: 0 }])).toBe('entry-type');
    expect(reasonOf([link('l', '/etc')])).toBe('link-escape');
    expect(reasonOf([link('a/l', '../../x')])).toBe('link-escape');
    expect(reasonOf([link('loop', 'loop')])).toBe('link-escape');
    expect(reasonOf([link('l', 'x'), link('l', 'y')])).toBe('duplicate-link');
    expect(reasonOf([link('l', 'x'), file('l')])).toBe('duplicate-link');
    // Declared after the file that goes through it: still refused.
    expect(reasonOf([file('d/x'), link('d', 'elsewhere')])).toBe('through-symlink');
    expect(reasonOf([{ path: 'h', type: 'Link', linkpath: 'later', size: 0 }, file('later')])).toBe(
      'link-target-missing',
    );
  });
});
