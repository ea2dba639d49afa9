import { describe, expect, it } from 'vitest';
import { ShareLedger } from './share-ledger.js';

describe('ShareLedger', () => {
  it('accepts a share once and flags the repeat as duplicate', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    ledger.setJob('j1', true);
    expect(ledger.check('j1', 'a')).toBe('ok');
    expect(ledger.check('j1', 'b')).toBe('ok');
    expect(ledger.check('j1', 'a')).toBe('duplicate');
    expect(ledger.size).toBe(2);
  });

  it('knows no job before the first setJob', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    expect(ledger.check('j1', 'a')).toBe('unknown-job');
  });

  it('keeps accepting the previous job unless the current one is clean', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    ledger.setJob('j1', true);
    expect(ledger.check('j1', 'a')).toBe('ok');
    ledger.setJob('j2', false);
    expect(ledger.check('j1', 'b')).toBe('ok');
    expect(ledger.check('j1', 'a')).toBe('duplicate');
    ledger.setJob('j3', true);
    expect(ledger.check('j2', 'c')).toBe('stale');
    expect(ledger.check('j1', 'd')).toBe('unknown-job');
    expect(ledger.check('j3', 'a')).toBe('ok');
  });

  it('treats the same key in different jobs as different shares', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    ledger.setJob('j1', false);
    ledger.setJob('j2', false);
    expect(ledger.check('j1', 'x')).toBe('ok');
    expect(ledger.check('j2', 'x')).toBe('ok');
  });

  it('ignores a repeated announcement of the current job', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    ledger.setJob('j1', false);
    ledger.setJob('j2', false);
    expect(ledger.check('j2', 'a')).toBe('ok');
    ledger.setJob('j2', true);
    expect(ledger.check('j2', 'a')).toBe('duplicate');
    expect(ledger.check('j1', 'b')).toBe('ok'); // still not clean: the no-op kept the flag
  });

  it('swaps back to the previous job keeping its shares', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 10 });
    ledger.setJob('j1', false);
    expect(ledger.check('j1', 'a')).toBe('ok');
    ledger.setJob('j2', false);
    ledger.setJob('j1', false);
    expect(ledger.currentJobId).toBe('j1');
    expect(ledger.check('j1', 'a')).toBe('duplicate');
  });

  it('drops the oldest job so memory stays bounded', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 1000 });
    for (let job = 0; job < 50; job++) {
      ledger.setJob(`j${job}`, false);
      for (let i = 0; i < 100; i++) ledger.check(`j${job}`, String(i));
    }
    expect(ledger.size).toBe(200);
  });

  it('reports full at the per-job cap, still catching duplicates', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 3 });
    ledger.setJob('j1', false);
    expect(['a', 'b', 'c', 'd'].map((key) => ledger.check('j1', key))).toEqual([
      'ok',
      'ok',
      'ok',
      'full',
    ]);
    expect(ledger.check('j1', 'a')).toBe('duplicate');
    expect(ledger.size).toBe(3);
    ledger.setJob('j2', false);
    expect(ledger.check('j2', 'd')).toBe('ok');
  });

  it('reset forgets both jobs', () => {
    const ledger = new ShareLedger({ maxSharesPerJob: 3 });
    ledger.setJob('j1', false);
    ledger.setJob('j2', false);
    ledger.check('j2', 'a');
    ledger.reset();
    expect(ledger.size).toBe(0);
    expect(ledger.check('j2', 'a')).toBe('unknown-job');
    expect(ledger.currentJobId).toBeUndefined();
  });
});
