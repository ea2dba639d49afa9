import { describe, expect, it } from 'vitest';
import { ansi, stripAnsi } from '../shared/ansi.js';
import { readFixture } from './testing/read-fixture.js';
import { bannerLines } from './xmrig-banner.js';
import { matchXmrigLine, XMRIG_LINE_SHAPES } from './xmrig-line-shapes.js';
import { XmrigLog } from './xmrig-log.js';

const STDOUT_FIXTURES = [
  'stdout.txt',
  'stdout-api-token.txt',
  'stdout-bench-250K-fast.txt',
  'stdout-pool-job-mode.txt',
  'stdout-pool-login-error.txt',
];

const fixtureLines = (name: string) =>
  readFixture(`xmrig/${name}`)
    .split('\n')
    .filter((line) => line !== '');

function capture(colors: boolean): { log: XmrigLog; lines: string[] } {
  const lines: string[] = [];
  const log = new XmrigLog({
    colors,
    write: (text) => lines.push(text),
    now: () => new Date(2026, 10, 25, 0, 4, 38, 61),
  });
  return { log, lines };
}

describe('XmrigLog', () => {
  it('writes "[timestamp]  tag      message" exactly like the fixtures', () => {
    const { log, lines } = capture(false);
    log.info(
      'net',
      `${ansi.whiteBold('use pool ')}${ansi.cyanBold('127.0.0.1:13333 ')} ${ansi.blackBold('127.0.0.1')}`,
    );
    log.info('randomx', 'dataset ready (1216 ms)');
    log.print('127.0.0.1 GET /2/summary 401 295 1ms "curl/7.88.1"');
    expect(lines).toEqual([
      '[2026-11-25 00:04:38.061]  net      use pool 127.0.0.1:13333  127.0.0.1\n',
      '[2026-11-25 00:04:38.061]  randomx  dataset ready (1216 ms)\n',
      '[2026-11-25 00:04:38.061] 127.0.0.1 GET /2/summary 401 295 1ms "curl/7.88.1"\n',
    ]);
  });

  it('keeps ANSI colours unless told not to, and the plain text is the same', () => {
    const colored = capture(true);
    const plain = capture(false);
    for (const { log } of [colored, plain])
      log.info('cpu', `${ansi.greenBold('accepted')} (1/0) diff 100 (5 ms)`);
    expect(colored.lines[0]).toContain('\x1b[');
    expect(stripAnsi(colored.lines[0] as string)).toBe(plain.lines[0]);
  });

  it('prints the banner of the fixtures', () => {
    const lines = bannerLines({
      hugePages: false,
      memory: { usedBytes: 2.6 * 1024 ** 3, totalBytes: 23.5 * 1024 ** 3 },
      donateLevel: 1,
      pools: [`${ansi.cyanBold('127.0.0.1:13333')} algo ${ansi.whiteBold('auto')}`],
      http: { host: '127.0.0.1', port: 18082 },
      colors: false,
    }).map(stripAnsi);
    expect(lines).toEqual(fixtureLines('stdout-pool-job-mode.txt').slice(0, 12));
  });
});

describe('XMRIG_LINE_SHAPES', () => {
  it.each(STDOUT_FIXTURES)('match every line of %s', (name) => {
    const unmatched = fixtureLines(name).filter((line) => matchXmrigLine(line) === undefined);
    expect(unmatched).toEqual([]);
  });

  it('have unique names', () => {
    const names = XMRIG_LINE_SHAPES.map((shape) => shape.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
