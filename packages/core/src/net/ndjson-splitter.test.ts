import { describe, expect, it } from 'vitest';
import { NdjsonSplitter } from './ndjson-splitter.js';

describe('NdjsonSplitter', () => {
  it('joins lines split across chunks and splits chunks holding several lines', () => {
    const lines: string[] = [];
    const splitter = new NdjsonSplitter(
      1024,
      (line) => lines.push(line),
      () => {},
    );
    splitter.push(Buffer.from('{"a":'));
    splitter.push(Buffer.from('1}\n{"b":2}\r\n{"c"'));
    splitter.push(Buffer.from(':3}\n'));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('gives up on a line longer than the limit, once', () => {
    const lines: string[] = [];
    let overflows = 0;
    const splitter = new NdjsonSplitter(
      8,
      (line) => lines.push(line),
      () => overflows++,
    );
    splitter.push(Buffer.from('ok\n0123456'));
    splitter.push(Buffer.from('789\nlater\n'));
    expect(lines).toEqual(['ok']);
    expect(overflows).toBe(1);
  });

  it('passes a last line without a newline on end(), unless it overflowed', () => {
    const lines: string[] = [];
    const splitter = new NdjsonSplitter(
      8,
      (line) => lines.push(line),
      () => {},
    );
    splitter.push(Buffer.from('a\nb'));
    splitter.push(Buffer.from('c\r'));
    splitter.end();
    splitter.end();
    expect(lines).toEqual(['a', 'bc']);
    const overflowed = new NdjsonSplitter(
      2,
      (line) => lines.push(line),
      () => {},
    );
    overflowed.push(Buffer.from('xyz'));
    overflowed.end();
    expect(lines).toEqual(['a', 'bc']);
  });
});
