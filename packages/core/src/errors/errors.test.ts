import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, InvalidTransitionError } from './errors.js';
import { isRigkitError } from './rigkit-error.js';

describe('error subclasses', () => {
  it('ConfigInvalidError lists every issue with its path', () => {
    const error = new ConfigInvalidError('options for xmrig', [
      { path: 'pools.0.url', message: 'Required' },
      { path: '', message: 'Unknown key "x"' },
    ]);
    expect(error.code).toBe('E_CONFIG_INVALID');
    expect(error.message).toBe(
      'invalid options for xmrig: pools.0.url: Required; (root): Unknown key "x"',
    );
    expect(error.details).toEqual({ issues: error.issues });
    expect(isRigkitError(error)).toBe(true);
  });

  it('InvalidTransitionError names both states', () => {
    const error = new InvalidTransitionError('stopped', 'running');
    expect(error.code).toBe('E_INVALID_TRANSITION');
    expect(error.details).toEqual({ from: 'stopped', to: 'running' });
  });
});
