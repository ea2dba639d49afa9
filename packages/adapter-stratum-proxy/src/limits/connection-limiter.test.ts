import { describe, expect, it } from 'vitest';
import { ConnectionLimiter } from './connection-limiter.js';

describe('ConnectionLimiter', () => {
  it('refuses the connection over the per-IP limit without counting it', () => {
    const limiter = new ConnectionLimiter({ maxConnections: 10, maxPerIp: 2 });
    expect(limiter.tryAcquire('1.1.1.1')).toBe('ok');
    expect(limiter.tryAcquire('1.1.1.1')).toBe('ok');
    expect(limiter.tryAcquire('1.1.1.1')).toBe('per-ip');
    expect(limiter.count('1.1.1.1')).toBe(2);
    expect(limiter.tryAcquire('2.2.2.2')).toBe('ok');
    expect(limiter.size).toBe(3);
    expect(limiter.ips).toBe(2);
  });

  it('refuses over the global limit, checked before the per-IP one', () => {
    const limiter = new ConnectionLimiter({ maxConnections: 2, maxPerIp: 1 });
    expect(limiter.tryAcquire('a')).toBe('ok');
    expect(limiter.tryAcquire('b')).toBe('ok');
    expect(limiter.tryAcquire('a')).toBe('global');
    expect(limiter.tryAcquire('c')).toBe('global');
    expect(limiter.size).toBe(2);
    limiter.release('b');
    expect(limiter.tryAcquire('c')).toBe('ok');
  });

  it('deletes an address at zero, so the map stays bounded', () => {
    const limiter = new ConnectionLimiter({ maxConnections: 5, maxPerIp: 5 });
    for (let i = 0; i < 1000; i++) {
      const ip = `10.0.${i >> 8}.${i & 255}`;
      expect(limiter.tryAcquire(ip)).toBe('ok');
      limiter.release(ip);
    }
    expect(limiter.ips).toBe(0);
    expect(limiter.size).toBe(0);
  });

  it('ignores releases of unknown or already released addresses', () => {
    const limiter = new ConnectionLimiter({ maxConnections: 1, maxPerIp: 1 });
    limiter.release('nobody');
    expect(limiter.size).toBe(0);
    limiter.tryAcquire('a');
    limiter.release('a');
    limiter.release('a');
    expect(limiter.size).toBe(0);
    expect(limiter.count('a')).toBe(0);
    expect(limiter.tryAcquire('a')).toBe('ok');
    expect(limiter.tryAcquire('b')).toBe('global');
  });
});
