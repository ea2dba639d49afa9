import { describe, expect, it } from 'vitest';
import { fixtureText } from '../test-support/fixtures.js';
import { parseXmrigVersion } from './parse-xmrig-version.js';

describe('parseXmrigVersion', () => {
  it('reads `xmrig --version` output', () => {
    const output = [
      'XMRig 6.26.0',
      ' built on Nov 24 2026 with GCC 12.2.0',
      ' features: 64-bit AES',
      '',
      'libuv/1.44.2',
      'OpenSSL/3.0.22',
      'hwloc/2.9.0',
    ].join('\n');
    expect(parseXmrigVersion(output)).toBe('6.26.0');
  });

  it('reads the banner of a real run and forks', () => {
    expect(parseXmrigVersion(fixtureText('stdout.txt'))).toBe('6.26.0');
    expect(parseXmrigVersion('XMRig-MO 6.22.0-mo1\n')).toBe('6.22.0-mo1');
    expect(parseXmrigVersion('\u001b[1;37mXMRig 6.21.3\u001b[0m')).toBe('6.21.3');
  });

  it('returns undefined for anything else', () => {
    expect(parseXmrigVersion('')).toBeUndefined();
    expect(parseXmrigVersion('TT-Miner 2023.1.0')).toBeUndefined();
    expect(parseXmrigVersion('xmrig: command not found')).toBeUndefined();
  });
});
