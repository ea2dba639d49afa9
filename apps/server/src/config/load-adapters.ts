import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AnyAdapter, RigkitError } from '@rigkit/core';

function looksLikeAdapter(value: unknown): value is AnyAdapter {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { apiVersion?: unknown }).apiVersion !== undefined &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * Loads adapter packages named in the config with `import()`, resolved from `baseDir` (the
 * config file's folder) so a project's own `node_modules` is used. A package's default export
 * (or its `adapter` export, or the first export that is an adapter) is the adapter. Nothing is
 * auto-discovered: only what the config names is loaded.
 */
export async function loadAdapters(
  names: readonly string[],
  baseDir: string,
): Promise<AnyAdapter[]> {
  const require = createRequire(join(baseDir, 'noop.js'));
  const adapters: AnyAdapter[] = [];
  for (const name of names) {
    let module: Record<string, unknown>;
    try {
      let specifier: string;
      try {
        specifier = pathToFileURL(require.resolve(name)).href;
      } catch {
        specifier = name; // fall back to resolution from the server package itself
      }
      module = (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      throw new RigkitError('E_ADAPTER_NOT_FOUND', `cannot load adapter package "${name}"`, {
        cause: error,
        details: { package: name },
      });
    }
    const candidate = [module.default, module.adapter, ...Object.values(module)].find(
      looksLikeAdapter,
    );
    if (!candidate) {
      throw new RigkitError('E_ADAPTER_INVALID', `package "${name}" does not export an adapter`, {
        details: { package: name },
      });
    }
    adapters.push(candidate);
  }
  return adapters;
}
