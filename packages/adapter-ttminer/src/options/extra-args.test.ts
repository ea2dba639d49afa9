import { describe, expect, it } from 'vitest';
import { checkExtraArgs, EXTRA_ARG_RULES } from './extra-args.js';

describe('checkExtraArgs', () => {
  it('accepts the allowed flags as TT-Miner reads them', () => {
    expect(checkExtraArgs(['-PRT', '10', '-nocolor'])).toEqual([]);
    expect(checkExtraArgs(['-PRT', '0'])).toEqual([]);
  });

  it('refuses anything touching the API, pools, passwords, devices or log files', () => {
    for (const arg of [
      '-b',
      '--api-bind',
      '--api-password',
      '-P',
      '-o',
      '-u',
      '-p',
      '-w',
      '-a',
      '-c',
      '-d',
      '-i',
      '-log',
      '-logfile',
      '-logpool',
      '-v',
      '-l',
      '-prt', // flags are matched exactly
    ]) {
      expect(checkExtraArgs([arg]), arg).toEqual([
        { index: 0, message: `"${arg}" is not an allowed extra argument (see EXTRA_ARG_RULES)` },
      ]);
    }
  });

  it('checks values, missing values and the two-element form', () => {
    expect(checkExtraArgs(['-PRT', 'abc'])).toEqual([
      { index: 1, message: '-PRT: expected an integer' },
    ]);
    expect(checkExtraArgs(['-PRT', '9999'])).toEqual([
      { index: 1, message: '-PRT: must be between 0 and 3600' },
    ]);
    expect(checkExtraArgs(['-nocolor', '-PRT'])).toEqual([
      { index: 1, message: '-PRT needs a value' },
    ]);
    expect(checkExtraArgs(['-PRT=10'])).toEqual([
      { index: 0, message: 'write -PRT and its value as two elements' },
    ]);
    expect(checkExtraArgs(['-nocolor=1'])).toEqual([
      { index: 0, message: '-nocolor takes no value' },
    ]);
    expect(checkExtraArgs(['10', ''])).toEqual([
      { index: 0, message: 'expected a flag such as "-PRT"' },
      { index: 1, message: 'expected a flag such as "-PRT"' },
    ]);
  });

  it('never quotes a value (a misplaced password must not reach a log)', () => {
    const issues = checkExtraArgs(['-p', 'SENTINEL', '-PRT', 'SENTINEL', 'SENTINEL=x']);
    expect(issues.map((i) => i.index)).toEqual([0, 1, 3, 4]);
    expect(JSON.stringify(issues)).not.toContain('SENTINEL');
  });

  it('has no rule for anything that carries secrets or moves the API', () => {
    for (const name of Object.keys(EXTRA_ARG_RULES)) {
      expect(name).not.toMatch(/^-(?:b|P|o|u|p|w|a|c|d|i)$|api|pass|log|pool|user|bind/i);
    }
  });
});
