import semver from 'semver';
import { RigkitError } from '../errors/rigkit-error.js';
import { CORE_VERSION } from '../version.js';
import type { AnyAdapter } from './adapter.js';

const KNOWN_API_VERSIONS = new Set<unknown>([1]);

/**
 * Checks that `adapter` is a well-formed adapter this core can run and throws a
 * `RigkitError` explaining what is wrong otherwise:
 * `E_ADAPTER_INCOMPATIBLE` for a contract or core-version mismatch, `E_ADAPTER_INVALID` for
 * a malformed object.
 */
export function assertAdapter(
  adapter: unknown,
  coreVersion: string = CORE_VERSION,
): asserts adapter is AnyAdapter {
  if (typeof adapter !== 'object' || adapter === null) {
    throw new RigkitError(
      'E_ADAPTER_INVALID',
      'an adapter must be an object made with defineAdapter()',
    );
  }
  const a = adapter as Partial<AnyAdapter>;
  const label = typeof a.meta?.name === 'string' ? a.meta.name : String(a.kind ?? 'adapter');
  if (!KNOWN_API_VERSIONS.has(a.apiVersion)) {
    throw new RigkitError(
      'E_ADAPTER_INCOMPATIBLE',
      `${label} uses adapter API version ${String(a.apiVersion)}; this @rigkit/core supports 1`,
      { details: { adapter: label, apiVersion: a.apiVersion } },
    );
  }
  if (typeof a.kind !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(a.kind)) {
    throw new RigkitError(
      'E_ADAPTER_INVALID',
      `${label}: kind must match /^[a-z][a-z0-9-]{0,39}$/`,
    );
  }
  if (typeof a.meta?.core !== 'string' || semver.validRange(a.meta.core) === null) {
    throw new RigkitError('E_ADAPTER_INVALID', `${label}: meta.core must be a semver range`);
  }
  if (!semver.satisfies(coreVersion, a.meta.core, { includePrerelease: true })) {
    throw new RigkitError(
      'E_ADAPTER_INCOMPATIBLE',
      `${label} needs @rigkit/core ${a.meta.core}, but ${coreVersion} is installed`,
      { details: { adapter: label, requires: a.meta.core, core: coreVersion } },
    );
  }
  if (typeof a.options?.['~standard']?.validate !== 'function') {
    throw new RigkitError('E_ADAPTER_INVALID', `${label}: options must be a Standard Schema`);
  }
  if ((typeof a.command === 'function') === (typeof a.runner === 'function')) {
    throw new RigkitError(
      'E_ADAPTER_INVALID',
      `${label}: provide exactly one of command() and runner()`,
    );
  }
  if (typeof a.probe !== 'function') {
    throw new RigkitError('E_ADAPTER_INVALID', `${label}: probe() is required`);
  }
}

/** The adapters a manager can create miners of, by kind. Registration checks each one. */
export class AdapterRegistry {
  readonly #byKind = new Map<string, AnyAdapter>();

  constructor(adapters: Iterable<unknown> = []) {
    for (const adapter of adapters) this.register(adapter);
  }

  /** Adds an adapter after {@link assertAdapter}; a second adapter of the same kind is refused. */
  register(adapter: unknown): void {
    assertAdapter(adapter);
    if (this.#byKind.has(adapter.kind)) {
      throw new RigkitError(
        'E_ADAPTER_INVALID',
        `an adapter of kind "${adapter.kind}" is already registered`,
      );
    }
    this.#byKind.set(adapter.kind, adapter);
  }

  /** The adapter for `kind`, or throws `E_ADAPTER_NOT_FOUND`. */
  get(kind: string): AnyAdapter {
    const adapter = this.#byKind.get(kind);
    if (!adapter) {
      throw new RigkitError('E_ADAPTER_NOT_FOUND', `no adapter registered for kind "${kind}"`, {
        details: { kind, known: [...this.#byKind.keys()] },
      });
    }
    return adapter;
  }

  list(): AnyAdapter[] {
    return [...this.#byKind.values()];
  }
}
