import { describe, expect, it } from 'vitest';
import { SlotAllocator } from './slot-allocator.js';

describe('SlotAllocator', () => {
  it('hands out every slot once, then undefined', () => {
    const slots = new SlotAllocator(256);
    const seen = new Set<number>();
    for (let i = 0; i < 256; i++) {
      const slot = slots.acquire();
      expect(slot).toBeDefined();
      seen.add(slot as number);
    }
    expect(seen.size).toBe(256);
    expect(Math.min(...seen)).toBe(0);
    expect(Math.max(...seen)).toBe(255);
    expect(slots.acquire()).toBeUndefined();
    expect(slots.free).toBe(0);
    expect(slots.used).toBe(256);
  });

  it('does not reuse a released slot before the next job', () => {
    const slots = new SlotAllocator(2);
    const a = slots.acquire() as number;
    const b = slots.acquire() as number;
    slots.release(a);
    expect(slots.acquire()).toBeUndefined();
    expect(slots.cooling).toBe(1);
    expect(slots.used).toBe(1);
    slots.rotate();
    expect(slots.free).toBe(1);
    expect(slots.acquire()).toBe(a);
    expect(slots.isUsed(b)).toBe(true);
  });

  it('prefers never-used slots before cooled ones only by stack order, never a cooling one', () => {
    const slots = new SlotAllocator(4);
    const first = slots.acquire() as number;
    slots.release(first);
    const handed = [slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()];
    expect(handed).not.toContain(first);
    expect(handed[3]).toBeUndefined();
  });

  it('ignores double releases and releases of free or out-of-range slots', () => {
    const slots = new SlotAllocator(4);
    const slot = slots.acquire() as number;
    slots.release(slot);
    slots.release(slot);
    slots.release(3); // never acquired
    slots.release(99);
    slots.release(-1);
    expect(slots.cooling).toBe(1);
    slots.rotate();
    expect(slots.free).toBe(4);
    expect(slots.used).toBe(0);
    // a slot released twice must not be on the free stack twice
    const all = [slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()];
    expect(new Set(all).size).toBe(4);
    expect(slots.acquire()).toBeUndefined();
  });

  it('supports two-byte prefixes', () => {
    const slots = new SlotAllocator(65_536);
    for (let i = 0; i < 65_536; i++) slots.acquire();
    expect(slots.used).toBe(65_536);
    expect(slots.acquire()).toBeUndefined();
    slots.release(65_535);
    slots.rotate();
    expect(slots.acquire()).toBe(65_535);
  });

  it('reset frees everything, cooling slots included', () => {
    const slots = new SlotAllocator(3);
    slots.acquire();
    slots.release(slots.acquire() as number);
    slots.reset();
    expect(slots.free).toBe(3);
    expect(slots.cooling).toBe(0);
    expect(slots.acquire()).toBe(0);
  });

  it('refuses impossible sizes', () => {
    expect(() => new SlotAllocator(0)).toThrow(RangeError);
    expect(() => new SlotAllocator(65_537)).toThrow(RangeError);
    expect(() => new SlotAllocator(1.5)).toThrow(RangeError);
  });
});
