import { expect } from 'vitest';
import { stripAnsi } from '../../shared/ansi.js';
import { matchXmrigLine } from '../xmrig-line-shapes.js';

/**
 * Asserts that every line the simulator printed has a known xmrig shape
 * ({@link matchXmrigLine}; the same shapes match the fixture files).
 */
export function expectKnownLines(lines: readonly string[]): void {
  const unknown = lines.filter((line) => matchXmrigLine(line) === undefined).map(stripAnsi);
  expect(unknown).toEqual([]);
}
