import { describe, expect, it } from 'vitest';
import { checkExtraArgs, EXTRA_ARG_RULES } from './extra-args.js';

describe('checkExtraArgs', () => {
  it('accepts allowed flags in both spellings', () => {
    expect(
      checkExtraArgs([
        '--randomx-1gb-pages',
        '--randomx-mode',
        'fast',
        '--cpu-affinity=0x3',
        '--cpu-memory-pool=-1',
        '--bench=1M',
        '--health-print-time',
        '60',
      ]),
    ).toEqual([]);
  });

  it('refuses what the adapter owns or cannot vouch for', () => {
    for (const arg of [
      '--config=x',
      '--http-access-token=t',
      '-o',
      '--url=p:1',
      '--background',
      '--log-file=/tmp/x',
      '--donate-level=0',
    ]) {
      expect(checkExtraArgs([arg])).toHaveLength(1);
    }
  });

  it('checks values and missing values', () => {
    expect(checkExtraArgs(['--print-time=abc'])).toEqual([
      { index: 0, message: '--print-time: expected an integer' },
    ]);
    expect(checkExtraArgs(['--print-time'])).toEqual([
      { index: 0, message: '--print-time needs a value' },
    ]);
    expect(checkExtraArgs(['--asm', 'fastest'])).toEqual([
      { index: 1, message: '--asm: must be one of none, auto, intel, ryzen, bulldozer' },
    ]);
    expect(checkExtraArgs(['--no-color=yes'])).toEqual([
      { index: 0, message: '--no-color takes no value' },
    ]);
  });

  it('has no rule for anything that carries secrets or moves the API', () => {
    for (const name of Object.keys(EXTRA_ARG_RULES)) {
      expect(name).not.toMatch(/http|api|pass|user|url|config|token|log-file|background/);
    }
  });
});
