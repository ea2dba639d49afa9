import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { simTtminerPath } from './sim-ttminer-path.js';

/** Runs the built program to its end. */
function runSim(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [simTtminerPath, ...args],
      { timeout: 10_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number | null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

describe('rigkit-sim-ttminer command line (built dist/sim-ttminer.js)', () => {
  it('prints "TT-Miner <version>" for -v, the GPUs for -l and usage for -h, exiting 0', async () => {
    const [version, list, help, longVersion] = await Promise.all([
      runSim(['-v']),
      runSim(['-l', '--sim-gpus', '3']),
      runSim(['-h']),
      runSim(['--version']),
    ]);
    expect(version).toEqual({ code: 0, stdout: 'TT-Miner 2024.3.2\n', stderr: '' });
    expect(longVersion.stdout).toBe('TT-Miner 2024.3.2\n');
    expect(list.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toEqual([
      'GPU 0: NVIDIA GeForce RTX 3080 (simulated), 10 GB, PCI 0000:01:00.0',
      'GPU 1: NVIDIA GeForce RTX 3080 (simulated), 10 GB, PCI 0000:02:00.0',
      'GPU 2: NVIDIA GeForce RTX 3080 (simulated), 10 GB, PCI 0000:03:00.0',
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: rigkit-sim-ttminer/);
    expect(help.stdout).toContain('--sim-overheat');
  });

  it('exits 1 with a message on stderr for an unknown option or a bad value, never echoing a password', async () => {
    const [unknown, bad] = await Promise.all([
      runSim(['-a', 'KAWPOW', '--frobnicate']),
      runSim(['-P', 'wallet:SENTINEL-PASS@no-port']),
    ]);
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: "rigkit-sim-ttminer: unknown option '--frobnicate' (see -h)\n",
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^rigkit-sim-ttminer: a -P pool needs host:port after the @\n$/);
    expect(bad.stderr).not.toContain('SENTINEL');
  });
});
