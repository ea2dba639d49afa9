// End-to-end: the BUILT `rigkit` (dist/bin.js) against a real server with simulated miners.
// Build first: `npx turbo run build --filter=rigkit...`.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, LogEntrySchema, MinerListSchema, MinerSchema } from '@rigkit/client';
import { resolveDataDir as serverResolveDataDir, startServer } from '@rigkit/server';
import { fakeProcessAdapter } from '@rigkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDataDir } from '../discovery.js';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const MINER_ID = 'sim-1';

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of every child: no colour, no inherited Rigkit settings. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const key of Object.keys(env)) {
    if (key.startsWith('RIGKIT_') && !(key in extra)) delete env[key];
  }
  return env;
}

function spawnRigkit(args: readonly string[], extraEnv?: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: childEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess, timeoutMs = 15_000): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rigkit did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function rigkit(args: readonly string[], extraEnv?: Record<string, string>): Promise<Result> {
  return finished(spawnRigkit(args, extraEnv));
}

/** Resolves with the first stdout line matching `match` (no sleeps: it waits for output). */
function waitForLine(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const hit = lines.find(match);
      if (hit !== undefined) {
        child.stdout?.off('data', onData);
        resolve(hit);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`rigkit exited (${code}) before the line`)));
  });
}

let dataDir: string;
let emptyDir: string;
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: build first (npx turbo run build --filter=rigkit...)`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'rigkit-e2e-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'rigkit-e2e-none-'));
  server = await startServer({
    dataDir,
    port: 0,
    cwd: dataDir,
    logLevel: 'silent',
    adapters: [fakeProcessAdapter],
    skipConfiguredAdapters: true,
    storage: false,
    handleSignals: false,
  });
  const client = createClient({ baseUrl: server.url, token: server.token });
  await client.createMiner({
    kind: 'fake-process',
    name: 'simulated one',
    id: MINER_ID,
    options: { printLines: 3, hashrate: 1500 },
  });
  await client.startMiner(MINER_ID);
}, 20_000);

afterAll(async () => {
  await server?.close();
  for (const dir of [dataDir, emptyDir]) if (dir) rmSync(dir, { recursive: true, force: true });
}, 20_000);

describe('rigkit against a running server', () => {
  it('finds the data dir like the server does', () => {
    expect(resolveDataDir(undefined, {})).toBe(serverResolveDataDir(undefined, {}));
    expect(resolveDataDir('rel/dir', {})).toBe(serverResolveDataDir('rel/dir', {}));
    expect(resolveDataDir(undefined, { RIGKIT_DATA_DIR: '/x/y' })).toBe(
      serverResolveDataDir(undefined, { RIGKIT_DATA_DIR: '/x/y' }),
    );
    // A project-local .rigkit-data (what `npm start` creates) wins over the OS data dir.
    const project = mkdtempSync(join(tmpdir(), 'rigkit-project-'));
    try {
      mkdirSync(join(project, '.rigkit-data'));
      expect(resolveDataDir(undefined, {}, project)).toBe(join(project, '.rigkit-data'));
      expect(serverResolveDataDir(undefined, {}, project)).toBe(join(project, '.rigkit-data'));
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('ls --json prints one schema-valid document', async () => {
    const result = await rigkit(['--data-dir', dataDir, 'ls', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const list = MinerListSchema.parse(JSON.parse(result.stdout));
    expect(list.miners.map((m) => [m.id, m.kind, m.state])).toEqual([
      [MINER_ID, 'fake-process', 'running'],
    ]);
    const table = await rigkit(['--data-dir', dataDir, 'ls']);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND\s+STATE/);
    expect(table.stdout).toContain(`${MINER_ID}  simulated one  fake-process  running`);
  });

  it('logs -f prints new lines as they come and ends with exit 0 on Ctrl-C', async () => {
    const client = createClient({ baseUrl: server.url });
    const { lastSeq } = await client.logs(MINER_ID, { tail: 1 });
    const child = spawnRigkit(['--data-dir', dataDir, 'logs', MINER_ID, '-f', '--json']);
    const done = finished(child);
    const fresh = await waitForLine(child, (line) => {
      const entry = LogEntrySchema.safeParse(JSON.parse(line));
      return entry.success && entry.data.seq > lastSeq;
    });
    expect(JSON.parse(fresh)).toMatchObject({ minerId: MINER_ID, stream: 'stdout' });
    expect(JSON.parse(fresh).text).toMatch(/^tick \d+$/);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(''); // the event stream worked: no fallback to polling
    // Every stdout line is one JSON object, in order, without duplicates.
    const seqs = result.stdout
      .trim()
      .split('\n')
      .map((line) => LogEntrySchema.parse(JSON.parse(line)).seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('status, history and adapters answer for the running miner', async () => {
    const status = await rigkit(['--data-dir', dataDir, '--json', 'status', MINER_ID]);
    expect(status.code).toBe(0);
    expect(MinerSchema.parse(JSON.parse(status.stdout)).state).toBe('running');
    const summary = await rigkit(['--data-dir', dataDir, 'status']);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain(`server    ${server.url}`);
    const history = await rigkit(['--data-dir', dataDir, 'history', MINER_ID, '--json']);
    expect(history.code).toBe(0);
    expect(JSON.parse(history.stdout)).toMatchObject({ minerId: MINER_ID, resolution: 'memory' });
    const adapters = await rigkit(['--data-dir', dataDir, 'adapters', '--json']);
    expect(JSON.parse(adapters.stdout).adapters.map((a: { kind: string }) => a.kind)).toContain(
      'fake-process',
    );
  });

  it('stop stops the miner', async () => {
    const stop = await rigkit(['--data-dir', dataDir, 'stop', MINER_ID]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`${MINER_ID}  stopped\n`);
    expect(stop.stderr).toContain(`stopping ${MINER_ID}`);
    const status = await rigkit(['--data-dir', dataDir, 'status', MINER_ID, '--json']);
    expect(JSON.parse(status.stdout).state).toBe('stopped');
  });

  it('exits 4 for an unknown miner id', async () => {
    const result = await rigkit(['--data-dir', dataDir, 'start', 'no-such-miner']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('rigkit: no miner with id "no-such-miner"');
  });

  it('exits 5 when no server runs for the data dir, or the URL does not answer', async () => {
    const none = await rigkit(['--data-dir', emptyDir, 'ls']);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain(`no Rigkit server is running for data dir ${emptyDir}`);
    expect(none.stderr).toContain('rigkit serve');
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closedPort}`;
    const refused = await rigkit(['--data-dir', emptyDir, '--url', url, 'ls']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain(`cannot reach the Rigkit server at ${url} (ECONNREFUSED)`);
  });

  it('exits 2 for bad usage', async () => {
    const unknownOption = await rigkit(['--data-dir', dataDir, 'ls', '--frobnicate']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
    const missing = await rigkit(['logs']);
    expect(missing.code).toBe(2);
    const version = await rigkit(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('sim runs the xmrig simulator and passes its exit code on', async () => {
    const version = await rigkit(['sim', 'xmrig', '--', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/XMRig/);
    const bad = await rigkit(['sim', 'xmrig', '--', '--no-such-option']);
    expect(bad.code).toBe(1);
    const unknown = await rigkit(['sim', 'nope']);
    expect(unknown.code).toBe(2);
  });

  it('serve runs a server until SIGINT and cleans up server.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigkit-e2e-serve-'));
    try {
      const config = join(dir, 'rigkit.config.json');
      writeFileSync(
        config,
        JSON.stringify({ adapters: [], storage: false, log: { level: 'silent' } }),
      );
      const child = spawnRigkit(['--data-dir', dir, 'serve', '--port', '0', '--config', config]);
      const done = finished(child);
      const urlLine = await waitForLine(child, (line) => line.startsWith('url:'));
      expect(urlLine).toMatch(/^url:\s+http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(dir, 'server.json'))).toBe(true);
      const ls = await rigkit(['--data-dir', dir, 'ls', '--json']);
      expect(ls.code).toBe(0);
      expect(JSON.parse(ls.stdout)).toEqual({ miners: [] });
      child.kill('SIGINT');
      const result = await done;
      expect(result.stdout).toMatch(/^url:.*\ntoken:\s+\S{32,}\ndata dir:/);
      expect(result.stderr).toMatch(/rigkit .*ls\n/);
      expect(result.code).toBe(0);
      expect(existsSync(join(dir, 'server.json'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
