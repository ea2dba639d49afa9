import { describe, expect, it } from 'vitest';
import { JsonLiteral, jsonDouble, jsonUint64, toXmrigJson, UINT64_MAX_TEXT } from './json-text.js';
import { readFixture } from './testing/read-fixture.js';

describe('toXmrigJson', () => {
  it.each(['2_backends.json', '2_config.json', '2_dmi.json', '2_backends_no_pool.json'])(
    'writes %s exactly as xmrig did',
    (name) => {
      const text = readFixture(`xmrig/${name}`).trimEnd();
      expect(toXmrigJson(JSON.parse(text))).toBe(text);
    },
  );

  it('writes UINT64_MAX and integral doubles verbatim', () => {
    expect(
      toXmrigJson({
        diff: jsonUint64(0xffff_ffff_ffff_ffffn),
        total: [jsonDouble(0), jsonDouble(21.75), null],
      }),
    ).toBe(`{\n    "diff": ${UINT64_MAX_TEXT},\n    "total": [0.0, 21.75, null]\n}`);
    expect(toXmrigJson(new JsonLiteral('1.50'))).toBe('1.50');
    expect(toXmrigJson({ a: {}, b: [] })).toBe('{\n    "a": {},\n    "b": []\n}');
  });
});
