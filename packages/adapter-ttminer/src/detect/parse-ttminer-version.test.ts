import { describe, expect, it } from 'vitest';
import { TTMINER_LINE_EXAMPLES } from '../stdout/ttminer-line-examples.js';
import { parseTtminerVersion } from './parse-ttminer-version.js';

describe('parseTtminerVersion', () => {
  it('reads `TT-Miner -v` output, the banner and the API name', () => {
    expect(parseTtminerVersion('TT-Miner 2024.3.2\n')).toBe('2024.3.2');
    expect(parseTtminerVersion(TTMINER_LINE_EXAMPLES.banner)).toBe('2024.3.2');
    expect(parseTtminerVersion('TT-Miner/2024.3.2')).toBe('2024.3.2');
    expect(parseTtminerVersion('TT-Miner v2023.1.0 (c) TradeProject')).toBe('2023.1.0');
    expect(parseTtminerVersion('\u001b[1;33mTT-Miner 6.2.0-beta1\u001b[0m')).toBe('6.2.0-beta1');
    expect(parseTtminerVersion('Welcome\n  TTMiner 2022.4.1\n')).toBe('2022.4.1');
  });

  it('returns undefined for anything else', () => {
    expect(parseTtminerVersion('')).toBeUndefined();
    expect(parseTtminerVersion('XMRig 6.26.0')).toBeUndefined();
    expect(parseTtminerVersion('TT-Miner: command not found')).toBeUndefined();
    expect(parseTtminerVersion('NotTT-Miner 1.2.3')).toBeUndefined();
  });
});
