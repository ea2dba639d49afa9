import { describe, expect, it } from 'vitest';
import { isRigkitError, RigkitError } from './rigkit-error.js';

describe('RigkitError', () => {
  it('carries a stable code, details and cause', () => {
    const cause = new Error('disk gone');
    const err = new RigkitError('E_CONFIG_INVALID', 'bad config', {
      cause,
      details: { path: 'pools.0.url' },
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('RigkitError');
    expect(err.code).toBe('E_CONFIG_INVALID');
    expect(err.cause).toBe(cause);
    expect(err.toJSON()).toEqual({
      code: 'E_CONFIG_INVALID',
      message: 'bad config',
      details: { path: 'pools.0.url' },
    });
  });

  it('names subclasses after themselves', () => {
    class MinerNotFound extends RigkitError {}
    expect(new MinerNotFound('E_MINER_NOT_FOUND', 'x').name).toBe('MinerNotFound');
  });

  it('is recognised across duplicate package copies by its symbol marker', () => {
    // What another copy of @rigkit/core would produce: same Symbol.for key, different class.
    const foreign = Object.assign(new Error('x'), { code: 'E_MINER_BUSY' });
    Object.defineProperty(foreign, Symbol.for('rigkit.error'), { value: true });
    expect(isRigkitError(foreign)).toBe(true);
    expect(isRigkitError(new Error('plain'))).toBe(false);
    expect(isRigkitError({ code: 'E_MINER_BUSY' })).toBe(false);
    expect(isRigkitError(null)).toBe(false);
  });

  it('never serialises the cause or stack', () => {
    const err = new RigkitError('E_PROCESS_EXIT', 'exited', { cause: new Error('secret-ish') });
    expect(JSON.stringify(err)).not.toContain('secret-ish');
    expect(JSON.stringify(err)).not.toContain('at ');
  });
});
