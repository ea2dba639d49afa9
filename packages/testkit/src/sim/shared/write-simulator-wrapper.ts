import { chmod, writeFile } from 'node:fs/promises';

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Writes an executable `sh` script at `path` that runs the simulator program `script` with
 * `args` first and then the arguments it is given, and returns `path`. The script `exec`s
 * Node, so the process id is the simulator's own.
 *
 * For code that takes a miner *binary* and builds the command line itself (an adapter whose
 * `extraArgs` only accept real flags): point its `binary` at the wrapper to add `--sim-*`
 * options.
 */
export async function writeSimulatorWrapper(
  path: string,
  script: string,
  args: readonly string[] = [],
  nodePath: string = process.execPath,
): Promise<string> {
  const command = [nodePath, script, ...args].map(quote).join(' ');
  await writeFile(path, `#!/bin/sh\nexec ${command} "$@"\n`, { mode: 0o755 });
  // The mode of writeFile is masked by the umask and ignored for an existing file.
  await chmod(path, 0o755);
  return path;
}
