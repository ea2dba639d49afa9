import { RigkitError, type RigkitErrorOptions } from './rigkit-error.js';

/** One problem found while validating options or config, located by its path. */
export interface ConfigIssue {
  /** Dotted path to the offending value, e.g. `pools.0.url`; empty for the root. */
  path: string;
  message: string;
}

/** Options or config failed validation; `details.issues` lists every problem by path. */
export class ConfigInvalidError extends RigkitError {
  readonly issues: readonly ConfigIssue[];
  constructor(subject: string, issues: readonly ConfigIssue[], options: RigkitErrorOptions = {}) {
    const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    super('E_CONFIG_INVALID', `invalid ${subject}: ${list}`, {
      ...options,
      details: { ...options.details, issues },
    });
    this.issues = issues;
  }
}

/** An operation conflicts with one already running, or with the miner's state. */
export class MinerBusyError extends RigkitError {
  constructor(message: string, options: RigkitErrorOptions = {}) {
    super('E_MINER_BUSY', message, options);
  }
}

/** A state change that the lifecycle transition table does not allow. */
export class InvalidTransitionError extends RigkitError {
  constructor(from: string, to: string) {
    super('E_INVALID_TRANSITION', `cannot go from "${from}" to "${to}"`, { details: { from, to } });
  }
}

/** No miner with that id is registered. */
export class MinerNotFoundError extends RigkitError {
  constructor(id: string) {
    super('E_MINER_NOT_FOUND', `no miner with id "${id}"`, { details: { id } });
  }
}

/** An operation was cancelled through its AbortSignal (e.g. a start aborted by stop). */
export class AbortedError extends RigkitError {
  constructor(message = 'operation aborted', options: RigkitErrorOptions = {}) {
    super('E_ABORTED', message, options);
  }
}
