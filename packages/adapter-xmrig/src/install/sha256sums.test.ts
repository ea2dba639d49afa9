import { describe, expect, it } from 'vitest';
import { parseSha256Sums } from './sha256sums.js';

describe('parseSha256Sums', () => {
  it('reads sha256sum output in text and binary mode, first entry winning', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = parseSha256Sums(
      [
        `${a}  xmrig-6.26.0-linux-static-x64.tar.gz`,
        `${b} *./xmrig.zip`,
        '',
        'junk',
        `${'c'.repeat(64)}  xmrig.zip`,
      ].join('\r\n'),
    );
    expect(sums).toEqual(
      new Map([
        ['xmrig-6.26.0-linux-static-x64.tar.gz', a],
        ['xmrig.zip', 'b'.repeat(64)],
      ]),
    );
  });
});
