import { stripAnsi } from '../stdout/strip-ansi.js';

/**
 * Finds the version in `xmrig --version` output (`XMRig 6.26.0`, also `XMRig/6.26.0` as in
 * the banner, and forks such as `XMRig-MO 6.22.0-mo1`). Returns `undefined` when absent.
 */
export function parseXmrigVersion(output: string): string | undefined {
  const match =
    /^\s*(?:\*\s+ABOUT\s+)?XMRig(?:-[A-Za-z0-9]+)?[/ ]v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)/im.exec(
      stripAnsi(output),
    );
  return match?.[1];
}
