import { describe, expect, it } from 'vitest';
import { colorEnabled, createColors, stripAnsi, visibleWidth } from './color.js';
import { parseDuration } from './duration.js';
import { formatBytes, formatDuration, formatHashrate } from './format.js';
import { resample, sparkline, summarize } from './sparkline.js';
import { renderTable } from './table.js';

describe('formatHashrate', () => {
  it('picks the unit and keeps three significant digits', () => {
    expect(formatHashrate(0)).toBe('0 H/s');
    expect(formatHashrate(987)).toBe('987 H/s');
    expect(formatHashrate(12.5)).toBe('12.5 H/s');
    expect(formatHashrate(1234.5)).toBe('1.23 kH/s');
    expect(formatHashrate(12_345)).toBe('12.3 kH/s');
    expect(formatHashrate(123_456)).toBe('123 kH/s');
    expect(formatHashrate(999_600)).toBe('1.00 MH/s');
    expect(formatHashrate(45_600_000)).toBe('45.6 MH/s');
    expect(formatHashrate(2.5e9)).toBe('2.50 GH/s');
    expect(formatHashrate(7e12)).toBe('7.00 TH/s');
  });

  it('shows unknown values as a dash', () => {
    expect(formatHashrate(null)).toBe('-');
    expect(formatHashrate(undefined)).toBe('-');
    expect(formatHashrate(Number.NaN)).toBe('-');
  });
});

describe('formatDuration / formatBytes', () => {
  it('uses at most two units', () => {
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(192_000)).toBe('3m 12s');
    expect(formatDuration(7_500_000)).toBe('2h 05m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect(formatDuration(900_000)).toBe('15m');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(-1)).toBe('-');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.0 MiB');
  });
});

describe('parseDuration', () => {
  it('reads single and combined units', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration(' 24H ')).toBe(86_400_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '24', 'h', '-5m', '5 m', '5y', '0m', '1h30', 'abc', '5m!']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });
});

describe('sparkline', () => {
  it('scales from min to max over the eight bars', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 20])).toBe('▁█');
  });

  it('draws gaps as blanks and flat series at a fixed height', () => {
    expect(sparkline([1, null, 3])).toBe('▁ █');
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([null, null])).toBe('  ');
    expect(sparkline([])).toBe('');
  });

  it('averages long series down to the width', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const line = sparkline(values, 50);
    expect([...line]).toHaveLength(50);
    expect(line.startsWith('▁')).toBe(true);
    expect(line.endsWith('█')).toBe(true);
    expect(resample([1, 3, null, null], 2)).toEqual([2, null]);
    expect(resample([1, 2], 10)).toEqual([1, 2]);
  });

  it('summarises min / avg / max, skipping gaps', () => {
    expect(summarize([1, null, 3, 2])).toEqual({ min: 1, avg: 2, max: 3, count: 3 });
    expect(summarize([null])).toBeUndefined();
  });
});

describe('colours', () => {
  it('colours only a terminal, never with NO_COLOR, forced by FORCE_COLOR', () => {
    expect(colorEnabled(true, {})).toBe(true);
    expect(colorEnabled(false, {})).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, { NO_COLOR: '' })).toBe(true); // empty means unset (no-color.org)
    expect(colorEnabled(true, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled(false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(false, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(true, { TERM: 'dumb' })).toBe(false);
  });

  it('emits ANSI codes only when enabled', () => {
    expect(createColors(false).red('x')).toBe('x');
    const red = createColors(true).red('x');
    expect(red).toBe('\u001b[31mx\u001b[39m');
    expect(stripAnsi(red)).toBe('x');
    expect(visibleWidth(red)).toBe(1);
  });
});

describe('renderTable', () => {
  it('pads by visible width and right-aligns numbers', () => {
    const green = createColors(true).green;
    const text = renderTable(
      [{ header: 'ID' }, { header: 'STATE' }, { header: 'N', right: true }],
      [
        ['a', green('running'), '1'],
        ['long-id', 'idle', '12'],
      ],
    );
    expect(stripAnsi(text).split('\n')).toEqual([
      'ID       STATE     N',
      'a        running   1',
      'long-id  idle     12',
      '',
    ]);
  });
});
