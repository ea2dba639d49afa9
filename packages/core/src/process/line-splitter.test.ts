import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitter } from './line-splitter.js';

function collect(maxLineLength?: number) {
  const lines: Array<{ line: string; truncated: boolean }> = [];
  const splitter = new LineSplitter(
    (line, truncated) => lines.push({ line, truncated }),
    maxLineLength === undefined ? {} : { maxLineLength },
  );
  const texts = () => lines.map((l) => l.line);
  return { lines, splitter, texts };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks', () => {
    const { splitter, texts } = collect();
    splitter.push('ab');
    splitter.push('c\nde');
    expect(texts()).toEqual(['abc']);
    splitter.push(Buffer.from('f\ng'));
    splitter.push('h\n');
    expect(texts()).toEqual(['abc', 'def', 'gh']);
    splitter.end();
    expect(texts()).toEqual(['abc', 'def', 'gh']);
  });

  it('strips CRLF, also when \\r and \\n arrive in different chunks', () => {
    const { splitter, texts } = collect();
    splitter.push('one\r\ntwo\r');
    splitter.push('\nthree\r\n');
    splitter.push('mid\rline\n');
    splitter.end();
    expect(texts()).toEqual(['one', 'two', 'three', 'mid\rline']);
  });

  it('keeps empty lines', () => {
    const { splitter, texts } = collect();
    splitter.push('a\n\n\r\n');
    splitter.push('\nb\n');
    splitter.end();
    expect(texts()).toEqual(['a', '', '', '', 'b']);
  });

  it('flushes an unterminated last line on end(), and nothing for an empty remainder', () => {
    const a = collect();
    a.splitter.push('x\ntail');
    a.splitter.end();
    a.splitter.end();
    expect(a.texts()).toEqual(['x', 'tail']);

    const b = collect();
    b.splitter.push('x\n');
    b.splitter.end();
    expect(b.texts()).toEqual(['x']);
    expect(() => b.splitter.push('more')).toThrow();
  });

  it('decodes a multibyte character split across chunks', () => {
    const { splitter, texts } = collect();
    const euro = Buffer.from('a€b\n', 'utf8'); // € is E2 82 AC
    splitter.push(euro.subarray(0, 2));
    splitter.push(euro.subarray(2, 3));
    splitter.push(euro.subarray(3));
    const emoji = Buffer.from('🦊\n', 'utf8'); // four bytes, one per chunk
    for (let i = 0; i < emoji.length; i++) splitter.push(emoji.subarray(i, i + 1));
    const trailing = Buffer.from('ü', 'utf8');
    splitter.push(trailing.subarray(0, 1));
    splitter.push(trailing.subarray(1));
    splitter.end();
    expect(texts()).toEqual(['a€b', '🦊', 'ü']);
  });

  it('truncates a 1 MB line without a newline, holding at most maxLineLength + 1 characters', () => {
    const { lines, splitter } = collect();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let maxPending = 0;
    for (let sent = 0; sent < 1024 * 1024; sent += chunk.length) {
      splitter.push(chunk);
      maxPending = Math.max(maxPending, splitter.pending);
    }
    expect(maxPending).toBeLessThanOrEqual(DEFAULT_MAX_LINE_LENGTH + 1);
    // Reported as soon as it is known to be too long, not at the newline.
    expect(lines).toHaveLength(1);
    expect(lines[0]?.truncated).toBe(true);
    expect(lines[0]?.line).toBe('x'.repeat(DEFAULT_MAX_LINE_LENGTH));

    splitter.push('yyy\nnext\n');
    splitter.end();
    expect(lines.slice(1)).toEqual([{ line: 'next', truncated: false }]);
  });

  it('drops the rest of a truncated line that is never terminated', () => {
    const { lines, splitter } = collect(4);
    splitter.push('abcdefgh');
    splitter.end();
    expect(lines).toEqual([{ line: 'abcd', truncated: true }]);
  });

  it('allows exactly maxLineLength characters, with or without \\r\\n', () => {
    const { lines, splitter } = collect(4);
    splitter.push('abcd\r');
    splitter.push('\nefgh\nijklm\n');
    splitter.push('nopq');
    splitter.end();
    expect(lines).toEqual([
      { line: 'abcd', truncated: false },
      { line: 'efgh', truncated: false },
      { line: 'ijkl', truncated: true },
      { line: 'nopq', truncated: false },
    ]);
  });

  it('never cuts a surrogate pair in half', () => {
    const three = collect(3);
    three.splitter.push('a🦊🦊\n');
    expect(three.lines).toEqual([{ line: 'a🦊', truncated: true }]);
    const two = collect(2);
    two.splitter.push('a🦊🦊\n');
    two.splitter.push('b🦊');
    two.splitter.push('🦊\n');
    expect(two.lines).toEqual([
      { line: 'a', truncated: true },
      { line: 'b', truncated: true },
    ]);
  });

  it('rejects a nonsensical maxLineLength', () => {
    expect(() => new LineSplitter(() => {}, { maxLineLength: 0 })).toThrow(RangeError);
  });
});
