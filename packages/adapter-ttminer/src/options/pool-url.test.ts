import { describe, expect, it } from 'vitest';
import { parsePoolUrl } from './pool-url.js';

describe('parsePoolUrl', () => {
  it('accepts host:port and the stratum schemes', () => {
    expect(parsePoolUrl('pool.example:4444')).toEqual({
      scheme: undefined,
      host: 'pool.example',
      port: 4444,
    });
    expect(parsePoolUrl('stratum+tcp://10.0.0.2:3333')).toEqual({
      scheme: 'stratum+tcp',
      host: '10.0.0.2',
      port: 3333,
    });
    expect(parsePoolUrl('stratum+ssl://[2001:db8::1]:443')).toEqual({
      scheme: 'stratum+ssl',
      host: '[2001:db8::1]',
      port: 443,
    });
  });

  it('refuses other schemes, credentials, paths, bad ports and flags', () => {
    for (const bad of [
      'http://p:1',
      'stratum+tcp://user:pw@p:1',
      'user@p:1',
      'p:1/path',
      'p',
      'p:0',
      'p:65536',
      '-P:1',
      ' p:1',
      'p:1 ',
    ]) {
      expect(parsePoolUrl(bad), bad).toBeUndefined();
    }
  });
});
