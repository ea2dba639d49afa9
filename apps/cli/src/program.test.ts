import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = createProgram({ stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  let error: unknown;
  try {
    program.parse(['node', 'rigkit', ...argv]);
  } catch (e) {
    error = e;
  }
  return { out: out.join(''), err: err.join(''), error };
}

describe('rigkit program', () => {
  it('prints the package version', () => {
    const { out, error } = run(['--version']);
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((error as CommanderError).exitCode).toBe(0);
  });

  it('rejects unknown commands as usage errors on stderr', () => {
    const { out, err, error } = run(['frobnicate']);
    expect(out).toBe('');
    expect(err).toContain("unknown command 'frobnicate'");
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).exitCode).toBe(1);
  });
});
