import type { MinerEvent } from '@rigkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTtminerLine } from './parse-ttminer-line.js';
import {
  TTMINER_LINE_EXAMPLES,
  TTMINER_LINE_TEMPLATES,
  type TtminerLineExample,
} from './ttminer-line-examples.js';

/** What each canonical line must turn into — the contract with the simulator. */
const EXPECTED: Record<TtminerLineExample, MinerEvent | undefined> = {
  banner: undefined,
  poolConnected: { type: 'pool.connected', level: 'info', data: { pool: 'pool.example:4444' } },
  newJob: { type: 'job', level: 'info', data: { pool: 'pool.example:4444', diff: 1_070_000_000 } },
  shareAccepted: { type: 'share.accepted', level: 'info', data: { gpu: 0, latencyMs: 23 } },
  shareRejected: {
    type: 'share.rejected',
    level: 'warn',
    data: { gpu: 1, reason: 'Low difficulty share', latencyMs: 31 },
  },
  gpuHashrate: {
    type: 'gpu.hashrate',
    level: 'info',
    data: { gpu: 0, hashrate: 14_680_000, temperatureC: 53, fanPercent: 90 },
  },
  gpuHashrateWithPower: {
    type: 'gpu.hashrate',
    level: 'info',
    data: { gpu: 1, hashrate: 14_510_000, temperatureC: 50, fanPercent: 90, powerW: 125 },
  },
  gpuTemperature: {
    type: 'gpu.temperature',
    level: 'info',
    data: { gpu: 0, temperatureC: 53, fanPercent: 90 },
  },
  totalHashrate: { type: 'speed', level: 'info', data: { hashrate: 29_190_000 } },
  gpuLost: { type: 'error', level: 'error', data: { gpu: 1, message: 'ERROR: GPU 1 lost' } },
  poolFailed: {
    type: 'error',
    level: 'error',
    data: { message: 'Failed to connect to pool.example:4444' },
  },
};

describe('parseTtminerLine over the canonical lines', () => {
  it.each(Object.keys(TTMINER_LINE_EXAMPLES) as TtminerLineExample[])('%s', (name) => {
    expect(parseTtminerLine(TTMINER_LINE_EXAMPLES[name])).toEqual(EXPECTED[name]);
  });

  it('has a template for every example and an example for every template', () => {
    const templates = Object.keys(TTMINER_LINE_TEMPLATES).sort();
    const examples = Object.keys(TTMINER_LINE_EXAMPLES).filter((n) => n !== 'gpuHashrateWithPower');
    expect(examples.sort()).toEqual(templates);
  });

  it('parses them the same without a timestamp, with a bracketed one, with colours', () => {
    for (const [name, line] of Object.entries(TTMINER_LINE_EXAMPLES)) {
      const bare = line.replace(/^\d{2}:\d{2}:\d{2}\.\d{3} /, '');
      const expected = EXPECTED[name as TtminerLineExample];
      expect(parseTtminerLine(bare), name).toEqual(expected);
      expect(parseTtminerLine(`[12:00:00] ${bare}`), name).toEqual(expected);
      expect(parseTtminerLine(`\u001b[32m${line}\u001b[0m\r`), name).toEqual(expected);
    }
  });
});

describe('parseTtminerLine tolerance', () => {
  it('converts every unit to H/s, case-insensitively', () => {
    const rate = (text: string) => parseTtminerLine(`GPU 3: ${text}`)?.data?.hashrate;
    expect(rate('950 H/s')).toBe(950);
    expect(rate('1.5 kH/s')).toBe(1500);
    expect(rate('1.5 KH/s')).toBe(1500);
    expect(rate('22.31 Mh/s')).toBe(22_310_000);
    expect(rate('2.1 GH/s')).toBe(2_100_000_000);
    expect(parseTtminerLine('GPU3 22.31MH/s')).toMatchObject({ data: { gpu: 3 } });
    expect(parseTtminerLine('GPU #2: 1 MH/s')).toMatchObject({ data: { gpu: 2 } });
  });

  it('reads shares in other spellings', () => {
    expect(parseTtminerLine('12:01:02 accepted (54/0) 12ms')).toEqual({
      type: 'share.accepted',
      level: 'info',
      data: { latencyMs: 12, accepted: 54, rejected: 0 },
    });
    expect(parseTtminerLine('SHARE REJECTED: stale share (40 ms)')).toEqual({
      type: 'share.rejected',
      level: 'warn',
      data: { reason: 'stale share', latencyMs: 40 },
    });
    expect(parseTtminerLine('GPU 0: share rejected')).toEqual({
      type: 'share.rejected',
      level: 'warn',
      data: { gpu: 0 },
    });
  });

  it('reads temperatures written 60C, 60 °C and 60°C', () => {
    for (const t of ['60C', '60 °C', '60°C', '60 C']) {
      expect(parseTtminerLine(`GPU 1: temp ${t}`)).toEqual({
        type: 'gpu.temperature',
        level: 'info',
        data: { gpu: 1, temperatureC: 60 },
      });
    }
  });

  it('never reports a credential as the pool', () => {
    expect(
      parseTtminerLine('Connected to stratum+tcp://wallet.rig:SENTINEL@pool.example:4444.'),
    ).toEqual({ type: 'pool.connected', level: 'info', data: { pool: 'pool.example:4444' } });
  });

  it('treats lost connections and failures as errors, not as connections', () => {
    expect(parseTtminerLine('Connection to pool.example:4444 lost')?.type).toBe('error');
    expect(parseTtminerLine('Disconnected from pool.example:4444')?.type).toBe('error');
    expect(parseTtminerLine('GPU 2: CUDA error 700')).toMatchObject({
      type: 'error',
      data: { gpu: 2 },
    });
  });

  it('returns undefined for lines without meaning', () => {
    for (const line of [
      '',
      '   ',
      '12:00:00.000',
      'garbage',
      'TT-Miner/2024.3.2 (c) TradeProject',
      '12:00:00.000 Using CUDA 12.4',
      '12:00:00.000 GPU 0: NVIDIA GeForce RTX 3080, 10 GB',
      '12:00:00.000 GPU 0: 14.68 PH/s',
      '12:00:00.000 Pool hashrate 1 GH/s',
      'x'.repeat(10_000),
    ]) {
      expect(parseTtminerLine(line), line.slice(0, 60)).toBeUndefined();
    }
  });

  it('bounds the text it keeps', () => {
    const event = parseTtminerLine(`ERROR: ${'y'.repeat(5000)}`);
    expect(String(event?.data?.message).length).toBeLessThanOrEqual(501);
  });

  it('never throws, whatever the line', () => {
    const words = fc.constantFrom(
      'GPU',
      'GPU 1:',
      'accepted',
      'rejected:',
      '"',
      'MH/s',
      '°C',
      'fan',
      '%',
      'W',
      'ms',
      '(',
      ')',
      'connected to',
      'new job',
      'diff',
      'from',
      'error',
      '12:00:00.000',
      '\u001b[1m',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(words, fc.string({ maxLength: 20 }), fc.double().map(String)), {
          maxLength: 20,
        }),
        (parts) => {
          const event = parseTtminerLine(parts.join(' '));
          if (event !== undefined) expect(typeof event.type).toBe('string');
        },
      ),
      { numRuns: 500 },
    );
  });
});
