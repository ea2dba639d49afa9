import { describe, expect, it } from 'vitest';
import { fixtureText } from '../test-support/fixtures.js';
import { xmrigCommands } from './xmrig-commands.js';

describe('xmrigCommands', () => {
  it('are the single keys xmrig announces in its banner', () => {
    const banner = fixtureText('stdout.txt')
      .split('\n')
      .find((line) => line.startsWith(' * COMMANDS'));
    expect(banner).toBe(
      " * COMMANDS     'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection",
    );
    for (const [name, key] of Object.entries(xmrigCommands)) {
      expect(key).toHaveLength(1);
      expect(banner).toContain(`'${key}' ${name}`);
    }
    expect(Object.isFrozen(xmrigCommands)).toBe(true);
  });
});
