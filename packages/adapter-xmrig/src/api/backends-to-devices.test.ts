import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../test-support/fixtures.js';
import { backendsToDevices } from './backends-to-devices.js';
import { FieldReader } from './field-reader.js';

describe('backendsToDevices over the captured /2/backends fixtures', () => {
  it('2_backends.json: one CPU thread, its 10 s hashrate', () => {
    expect(backendsToDevices(fixtureJson('2_backends.json'))).toEqual([
      { id: 'cpu:0', name: 'cpu thread 0', hashrate: 21.44 },
    ]);
  });

  it('2_backends_fast_2threads.json: a stable id per thread', () => {
    expect(backendsToDevices(fixtureJson('2_backends_fast_2threads.json'))).toEqual([
      { id: 'cpu:0', name: 'cpu thread 0', hashrate: 156.36 },
      { id: 'cpu:1', name: 'cpu thread 1', hashrate: 158.04 },
    ]);
  });

  it('2_backends_after_70s.json and 2_backends_pool_job_mode.json', () => {
    expect(backendsToDevices(fixtureJson('2_backends_after_70s.json'))?.[0]?.hashrate).toBe(20.27);
    expect(backendsToDevices(fixtureJson('2_backends_pool_job_mode.json'))?.[0]?.hashrate).toBe(
      18.55,
    );
  });

  it('2_backends_no_pool.json: a backend without threads gives no rows and no warning', () => {
    const reader = new FieldReader();
    expect(backendsToDevices(fixtureJson('2_backends_no_pool.json'), reader)).toBeUndefined();
    expect(reader.warnings).toEqual([]);
  });

  it('skips disabled backends, names pinned CPUs, falls back to the next window', () => {
    expect(
      backendsToDevices([
        { type: 'opencl', enabled: false, threads: [{ hashrate: [1, 1, 1] }] },
        {
          type: 'cpu',
          enabled: true,
          threads: [
            { affinity: 3, hashrate: [null, 12.5, null] },
            { affinity: -1, hashrate: [null, null, null] },
          ],
        },
      ]),
    ).toEqual([
      { id: 'cpu:0', name: 'cpu thread 0 (CPU 3)', hashrate: 12.5 },
      { id: 'cpu:1', name: 'cpu thread 1' },
    ]);
  });

  it('reports garbage instead of throwing', () => {
    const reader = new FieldReader();
    expect(backendsToDevices({ nope: true }, reader)).toBeUndefined();
    expect(reader.warnings).toEqual(['backends: expected an array, got an object']);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        backendsToDevices(value);
        backendsToDevices([{ type: 'cpu', threads: value }]);
        backendsToDevices([{ type: 'cpu', threads: [value, { hashrate: value }] }]);
      }),
      { numRuns: 300 },
    );
  });
});
