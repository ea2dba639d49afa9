import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'EXTRA_ARG_RULES',
        'MAX_API_BODY_BYTES',
        'MAX_DOWNLOAD_BYTES',
        'XmrigApiClient',
        'backendsToDevices',
        'checkArchiveEntries',
        'createXmrigAdapter',
        'default',
        'detectXmrig',
        'installXmrig',
        'parseDifficulty',
        'parseDifficultyText',
        'parseSha256Sums',
        'parseXmrigLine',
        'parseXmrigVersion',
        'summaryToSample',
        'toXmrigArgs',
        'toXmrigConfig',
        'toXmrigConfigFileArgs',
        'xmrigAdapter',
        'xmrigCommands',
        'xmrigOptionsSchema',
      ].sort(),
    );
    expect(api.default).toBe(api.xmrigAdapter);
  });
});
