import { describe, expect, it } from 'vitest';
import { MessageRate, type TokenState, takeToken } from './message-rate.js';

function takeMany(rate: MessageRate, count: number, now: number): number {
  let taken = 0;
  for (let i = 0; i < count; i++) if (rate.take(now)) taken++;
  return taken;
}

describe('MessageRate', () => {
  it('allows a full burst at once, then refuses', () => {
    const rate = new MessageRate(10, 5);
    expect(takeMany(rate, 8, 1000)).toBe(5);
    expect(rate.take(1000)).toBe(false);
  });

  it('refills at the rate', () => {
    const rate = new MessageRate(10, 5);
    takeMany(rate, 5, 0);
    expect(rate.take(50)).toBe(false); // half a token
    expect(rate.take(100)).toBe(true); // one token after 100 ms
    expect(rate.take(100)).toBe(false);
    expect(takeMany(rate, 10, 400)).toBe(3);
  });

  it('caps a long idle at the burst', () => {
    const rate = new MessageRate(100, 3);
    takeMany(rate, 3, 0);
    expect(takeMany(rate, 100, 3_600_000)).toBe(3);
  });

  it('refills nothing when the clock steps back', () => {
    const rate = new MessageRate(1, 1);
    expect(rate.take(10_000)).toBe(true);
    expect(rate.take(5000)).toBe(false);
    expect(rate.take(10_999)).toBe(false);
    expect(rate.take(11_000)).toBe(true);
  });
});

describe('takeToken', () => {
  it('works on a plain state object', () => {
    const state: TokenState = { tokens: 0, at: Number.NaN };
    expect(takeToken(state, 0, 1, 2)).toBe(true);
    expect(takeToken(state, 0, 1, 2)).toBe(true);
    expect(takeToken(state, 0, 1, 2)).toBe(false);
    expect(state).toEqual({ tokens: 0, at: 0 });
    expect(takeToken(state, 1000, 1, 2)).toBe(true);
  });
});
