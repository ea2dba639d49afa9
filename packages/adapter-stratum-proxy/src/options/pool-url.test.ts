import { isRigkitError } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { checkPoolUrl, formatPool, parsePoolUrl } from './pool-url.js';

describe('parsePoolUrl', () => {
  it('reads host:port and the stratum schemes', () => {
    expect(parsePoolUrl('pool.example.org:3333')).toEqual({
      host: 'pool.example.org',
      port: 3333,
      tls: false,
    });
    expect(parsePoolUrl('stratum+tcp://127.0.0.1:13333')).toEqual({
      host: '127.0.0.1',
      port: 13333,
      tls: false,
    });
    expect(parsePoolUrl('stratum+ssl://pool.example:443')).toEqual({
      host: 'pool.example',
      port: 443,
      tls: true,
    });
    expect(parsePoolUrl('STRATUM+TLS://pool.example:1')).toEqual({
      host: 'pool.example',
      port: 1,
      tls: true,
    });
  });

  it('reads bracketed IPv6 addresses and returns the host without brackets', () => {
    expect(parsePoolUrl('[::1]:3333')).toEqual({ host: '::1', port: 3333, tls: false });
    expect(parsePoolUrl('stratum+ssl://[2001:db8::1]:65535')).toEqual({
      host: '2001:db8::1',
      port: 65_535,
      tls: true,
    });
  });

  it.each([
    ['no port', 'pool.example'],
    ['port 0', 'pool.example:0'],
    ['port too big', 'pool.example:65536'],
    ['port not a number', 'pool.example:http'],
    ['empty port', 'pool.example:'],
    ['empty', ''],
    ['path', 'stratum+tcp://pool.example:3333/path'],
    ['query', 'pool.example:3333?x=1'],
    ['credentials', 'stratum+tcp://user:hunter2@pool.example:3333'],
    ['space', 'pool example:3333'],
    ['http scheme', 'http://pool.example:3333'],
    ['unbracketed IPv6', '::1:3333'],
    ['bad IPv6', '[zz::1]:3333'],
    ['bad host', '-pool.example:3333'],
    ['too long', `${'a'.repeat(400)}:1`],
  ])('refuses %s with E_CONFIG_INVALID', (_label, url) => {
    let caught: unknown;
    try {
      parsePoolUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(isRigkitError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('E_CONFIG_INVALID');
  });

  it('never repeats the URL (and so its credentials) in the error', () => {
    const result = checkPoolUrl('stratum+tcp://user:hunter2@pool.example:3333');
    expect(typeof result).toBe('string');
    expect(result).not.toContain('hunter2');
    expect(() => parsePoolUrl('stratum+tcp://user:hunter2@pool.example:3333')).toThrow(
      /^(?!.*hunter2)/,
    );
  });

  it('refuses non-strings without throwing from checkPoolUrl', () => {
    expect(checkPoolUrl(3333)).toBe('expected a string');
  });
});

describe('formatPool', () => {
  it('formats addresses for display, bracketing IPv6', () => {
    expect(formatPool({ host: 'pool.example', port: 3333, tls: false })).toBe(
      'stratum+tcp://pool.example:3333',
    );
    expect(formatPool({ host: '::1', port: 443, tls: true })).toBe('stratum+ssl://[::1]:443');
  });

  it('round-trips through parsePoolUrl', () => {
    for (const url of ['stratum+tcp://a.b:1', 'stratum+ssl://[::1]:443']) {
      expect(formatPool(parsePoolUrl(url))).toBe(url);
    }
  });
});
