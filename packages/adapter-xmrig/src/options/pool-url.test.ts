import { describe, expect, it } from 'vitest';
import { parsePoolUrl } from './pool-url.js';

describe('parsePoolUrl', () => {
  it('accepts the forms xmrig accepts', () => {
    expect(parsePoolUrl('pool.example:3333')).toEqual({
      scheme: undefined,
      host: 'pool.example',
      port: 3333,
    });
    expect(parsePoolUrl('stratum+tcp://127.0.0.1:13333')).toEqual({
      scheme: 'stratum+tcp',
      host: '127.0.0.1',
      port: 13333,
    });
    expect(parsePoolUrl('stratum+ssl://[2001:db8::1]:443')).toEqual({
      scheme: 'stratum+ssl',
      host: '[2001:db8::1]',
      port: 443,
    });
  });

  it('refuses other schemes, credentials, paths, missing or bad ports and flags', () => {
    for (const bad of [
      'http://p:1',
      'stratum+tcp://user:pw@p:1',
      'p:1/path',
      'p',
      'p:0',
      'p:65536',
      '-o:1',
      ' p:1',
      'p:1 ',
    ]) {
      expect(parsePoolUrl(bad)).toBeUndefined();
    }
  });
});
