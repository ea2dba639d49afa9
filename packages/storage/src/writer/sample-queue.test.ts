import { describe, expect, it } from 'vitest';
import { SampleQueue } from './sample-queue.js';

function fill(queue: SampleQueue, from: number, count: number): number {
  let dropped = 0;
  for (let i = from; i < from + count; i += 1) {
    if (!queue.push(`m${i % 3}`, i, i * 10, 1, Number.NaN)) dropped += 1;
  }
  return dropped;
}

describe('SampleQueue', () => {
  it('takes rows oldest first, column by column', () => {
    const queue = new SampleQueue(10);
    fill(queue, 0, 4);
    const batch = queue.take(3);
    expect(batch.length).toBe(3);
    expect(batch.minerIds).toEqual(['m0', 'm1', 'm2']);
    expect([...batch.times]).toEqual([0, 1, 2]);
    expect([...batch.hashrates]).toEqual([0, 10, 20]);
    expect(Number.isNaN(batch.rejected[0])).toBe(true);
    expect(queue.size).toBe(1);
    expect([...queue.take(10).times]).toEqual([3]);
  });

  it('never holds more than its capacity: a full queue drops its oldest rows', () => {
    const queue = new SampleQueue(5);
    expect(fill(queue, 0, 12)).toBe(7);
    expect(queue.size).toBe(5);
    expect([...queue.take(5).times]).toEqual([7, 8, 9, 10, 11]);
  });

  it('puts a failed batch back in front, dropping the oldest rows that no longer fit', () => {
    const queue = new SampleQueue(5);
    fill(queue, 0, 4);
    const batch = queue.take(4);
    fill(queue, 4, 3); // newer rows arrived while the batch was being written
    expect(queue.putBack(batch)).toBe(2);
    expect([...queue.take(5).times]).toEqual([2, 3, 4, 5, 6]);
  });

  it('wraps around its ring and clears', () => {
    const queue = new SampleQueue(4);
    for (let round = 0; round < 5; round += 1) {
      fill(queue, round * 3, 3);
      expect([...queue.take(3).times]).toEqual([round * 3, round * 3 + 1, round * 3 + 2]);
    }
    fill(queue, 0, 3);
    expect(queue.clear()).toBe(3);
    expect(queue.size).toBe(0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SampleQueue(0)).toThrow(RangeError);
  });
});
