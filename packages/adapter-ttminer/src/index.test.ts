import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'EXTRA_ARG_RULES',
        'MAX_API_LINE_BYTES',
        'MAX_GPUS',
        'TTMINER_LINE_EXAMPLES',
        'TTMINER_LINE_TEMPLATES',
        'TTMINER_WARMUP_MS',
        'TtminerApiClient',
        'createTtminerAdapter',
        'default',
        'detectTtminer',
        'getstat1Result',
        'parseMinerGetstat1',
        'parseShareTotals',
        'parseTtminerLine',
        'parseTtminerVersion',
        'toTtminerArgs',
        'toTtminerPoolArg',
        'ttminerAdapter',
        'ttminerOptionsSchema',
      ].sort(),
    );
    expect(api.default).toBe(api.ttminerAdapter);
  });
});
