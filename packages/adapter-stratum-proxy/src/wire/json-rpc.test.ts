import { describe, expect, it } from 'vitest';
import { parseJsonRpcLine } from './json-rpc.js';

describe('parseJsonRpcLine', () => {
  it('keeps integer and string ids as sent', () => {
    expect(parseJsonRpcLine('{"id":4,"method":"mining.submit","params":[]}')).toMatchObject({
      id: 4,
      method: 'mining.submit',
    });
    expect(parseJsonRpcLine('{"id":"mining.subscribe","method":"mining.subscribe"}')).toMatchObject(
      { id: 'mining.subscribe' },
    );
    expect(parseJsonRpcLine('{"method":"job","params":{}}')).toMatchObject({ id: null });
  });

  it.each([
    ['{"id":1,', 'invalid JSON'],
    ['[1,2]', 'a message must be a JSON object'],
    ['null', 'a message must be a JSON object'],
    ['{"id":1e999,"method":"login"}', 'invalid id'],
    ['{"id":{"a":1},"method":"login"}', 'invalid id'],
    [`{"id":"${'x'.repeat(200)}","method":"login"}`, 'invalid id'],
    ['{"id":1,"method":7}', 'invalid method'],
  ])('refuses %s', (line, reason) => {
    expect(parseJsonRpcLine(line)).toBe(reason);
  });
});
