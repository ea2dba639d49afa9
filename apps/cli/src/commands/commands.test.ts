import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CreateMinerBody,
  type EventStreamOptions,
  type LogEntryDto,
  type MinerDto,
  MinerListSchema,
  RigkitClientError,
} from '@rigkit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../context.js';
import { runWith } from '../testing/fake-io.js';
import { buildOptions } from './add.js';
import { doctor, nodeVersionOk } from './doctor.js';

const NOW = 1_700_000_100_000;
const URL_ARGS = ['--url', 'http://127.0.0.1:1'];

function miner(overrides: Partial<MinerDto> = {}): MinerDto {
  return {
    id: 'rig-1',
    kind: 'xmrig',
    name: 'Rig one',
    state: 'running',
    autostart: false,
    generation: 2,
    pid: 4242,
    startedAt: NOW - 192_000,
    recentRestarts: 1,
    lastExit: null,
    paused: false,
    lastSample: {
      time: NOW - 1000,
      hashrate: 1234.5,
      hashrate60s: 1200,
      shares: { accepted: 12, rejected: 1 },
      pool: 'pool.example:3333',
      devices: [{ id: 'cpu0', hashrate: 600, temperatureC: 61 }],
    },
    ...overrides,
  };
}

const notFound = (id: string) =>
  new RigkitClientError('E_MINER_NOT_FOUND', `no miner with id "${id}"`, {
    status: 404,
    details: { id },
  });

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rigkit-cli-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ls', () => {
  it('prints a table with human hashrates and uptimes', async () => {
    const run = await runWith([...URL_ARGS, 'ls'], {
      client: {
        listMiners: async () => [
          miner(),
          miner({ id: 'b', name: 'B', state: 'stopped', lastSample: null }),
        ],
      },
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'ID     NAME     KIND   STATE     HASHRATE  UPTIME  RESTARTS',
      'rig-1  Rig one  xmrig  running  1.23 kH/s  3m 12s         1',
      'b      B        xmrig  stopped          -       -         1',
      '',
    ]);
    expect(run.stdout).not.toContain('\u001b['); // not a TTY: no colour
  });

  it('prints one schema-valid JSON document with --json', async () => {
    const run = await runWith(['ls', '--json', ...URL_ARGS], {
      client: { listMiners: async () => [miner()] },
    });
    expect(MinerListSchema.parse(JSON.parse(run.stdout)).miners[0]?.id).toBe('rig-1');
    expect(run.stderr).toBe('');
  });

  it('colours states on a terminal unless NO_COLOR is set', async () => {
    const client = { listMiners: async () => [miner()] };
    const tty = await runWith([...URL_ARGS, 'ls'], { client, stdoutIsTTY: true });
    expect(tty.stdout).toContain('\u001b[32mrunning\u001b[39m');
    const noColor = await runWith([...URL_ARGS, 'ls'], {
      client,
      stdoutIsTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('says how to add a miner when there is none (stderr, stdout empty)', async () => {
    const run = await runWith([...URL_ARGS, 'ls'], { client: { listMiners: async () => [] } });
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rigkit add');
  });
});

describe('status', () => {
  it('shows one miner in detail, or its JSON', async () => {
    const client = { getMiner: async (id: string) => miner({ id }) };
    const run = await runWith([...URL_ARGS, 'status', 'rig-1'], { client });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rig-1  Rig one  (xmrig)');
    expect(run.stdout).toMatch(/state\s+running \(generation 2, pid 4242\)/);
    expect(run.stdout).toMatch(/hashrate\s+1\.23 kH\/s \(60s 1\.20 kH\/s\)/);
    expect(run.stdout).toMatch(/shares\s+12 accepted · 1 rejected/);
    expect(run.stdout).toMatch(/cpu0\s+600 H\/s\s+61 °C/);
    const json = await runWith([...URL_ARGS, '--json', 'status', 'rig-1'], { client });
    expect(JSON.parse(json.stdout)).toEqual(miner());
  });

  it('summarises the server and all miners without an id', async () => {
    const run = await runWith([...URL_ARGS, '--json', 'status'], {
      client: {
        health: async () => ({ status: 'ok', uptimeSeconds: 60 }),
        ready: async () => ({ ready: true, checks: { storage: true, manager: true } }),
        listMiners: async () => [miner(), miner({ id: 'b', state: 'stopped' })],
      },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({
      server: { url: 'http://127.0.0.1:1', health: { status: 'ok' }, ready: { ready: true } },
      miners: { total: 2, byState: { running: 1, stopped: 1 }, hashrate: 1234.5 },
    });
  });
});

describe('start / stop / restart', () => {
  it('prints the new state, with a progress line on stderr', async () => {
    const run = await runWith([...URL_ARGS, 'stop', 'rig-1'], {
      client: { stopMiner: async (id: string) => miner({ id, state: 'stopped' }) },
    });
    expect(run).toMatchObject({ code: 0, stdout: 'rig-1  stopped\n' });
    expect(run.stderr).toContain('stopping rig-1');
    const quiet = await runWith([...URL_ARGS, '-q', 'start', 'rig-1'], {
      client: { startMiner: async (id: string) => miner({ id }) },
    });
    expect(quiet).toMatchObject({ code: 0, stdout: 'rig-1  running\n', stderr: '' });
  });

  it('exits 4 with the server message for an unknown id', async () => {
    const run = await runWith([...URL_ARGS, 'restart', 'nope'], {
      client: {
        restartMiner: async (id: string) => {
          throw notFound(id);
        },
      },
    });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('rigkit: no miner with id "nope" [E_MINER_NOT_FOUND]');
  });

  it('maps client failures to exit codes: unreachable 5, config 3, other 1', async () => {
    const failWith = (error: Error) => ({
      listMiners: async () => {
        throw error;
      },
    });
    const cases: [Error, number][] = [
      [new RigkitClientError('E_SERVER_UNREACHABLE', 'cannot reach'), 5],
      [new RigkitClientError('E_API_TIMEOUT', 'no answer'), 5],
      [new RigkitClientError('E_API_TIMEOUT', 'miner API slow', { status: 504 }), 1],
      [new RigkitClientError('E_UNAUTHORIZED', 'token', { status: 401 }), 3],
      [new RigkitClientError('E_CONFIG_INVALID', 'bad options', { status: 400 }), 3],
      [new RigkitClientError('E_VALIDATION', 'bad name', { status: 400 }), 2],
      [new RigkitClientError('E_INTERNAL', 'boom', { status: 500 }), 1],
      [new Error('plain'), 1],
    ];
    for (const [error, code] of cases) {
      const run = await runWith([...URL_ARGS, 'ls'], { client: failWith(error) });
      expect(run.code, error.message).toBe(code);
      expect(run.stderr).toContain(`rigkit: ${error.message}`);
    }
  });
});

describe('add / rm', () => {
  it('builds the body from --options-json and repeatable --option flags', async () => {
    let body: CreateMinerBody | undefined;
    const run = await runWith(
      [
        ...URL_ARGS,
        'add',
        'xmrig',
        '--name',
        'Rig two',
        '--id',
        'rig-2',
        '--options-json',
        '{"threads":2,"pool":{"user":"me"}}',
        '-o',
        'pool.url=stratum+tcp://pool:3333',
        '--option',
        'threads=4',
        '--option',
        'donate=false',
        '--autostart',
      ],
      {
        client: {
          createMiner: async (b: CreateMinerBody) => {
            body = b;
            return miner({ id: 'rig-2', state: 'idle', autostart: true });
          },
        },
      },
    );
    expect(run.code).toBe(0);
    expect(body).toEqual({
      kind: 'xmrig',
      name: 'Rig two',
      id: 'rig-2',
      autostart: true,
      options: {
        threads: 4,
        donate: false,
        pool: { user: 'me', url: 'stratum+tcp://pool:3333' },
      },
    });
    expect(run.stdout).toBe('rig-2  idle\n');
  });

  it('refuses malformed options as usage errors (exit 2)', async () => {
    expect(() => buildOptions(undefined, ['novalue'])).toThrow(/key=value/);
    expect(() => buildOptions(undefined, ['__proto__.x=1'])).toThrow(/invalid key/);
    expect(() => buildOptions('[1]', [])).toThrow(/JSON object/);
    const run = await runWith([...URL_ARGS, 'add', 'xmrig', '--name', 'x', '--options-json', '{']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--options-json is not valid JSON');
    const missing = await runWith([...URL_ARGS, 'add', 'xmrig']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-n, --name <name>' not specified");
  });

  it('removes a miner', async () => {
    const removed: string[] = [];
    const run = await runWith([...URL_ARGS, '--json', 'rm', 'rig-1'], {
      client: {
        removeMiner: async (id: string) => {
          removed.push(id);
        },
      },
    });
    expect(removed).toEqual(['rig-1']);
    expect(JSON.parse(run.stdout)).toEqual({ removed: 'rig-1' });
  });
});

/** Yields loop turns until `condition` holds (no timers: the fakes answer on the next turns). */
async function until(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(condition()).toBe(true);
}

function entry(seq: number, text = `line ${seq}`): LogEntryDto {
  return { seq, time: NOW + seq, stream: 'stdout', text, truncated: false };
}

/** A fake `events()` the test drives: statuses and events on demand. */
function fakeEvents() {
  let options: EventStreamOptions | undefined;
  let state: 'connecting' | 'subscribed' | 'reconnecting' | 'closed' = 'connecting';
  let opened: () => void = () => {};
  const openedPromise = new Promise<void>((resolve) => {
    opened = resolve;
  });
  return {
    events: (o: EventStreamOptions) => {
      options = o;
      opened();
      return {
        get state() {
          return state;
        },
        close: async () => {
          state = 'closed';
        },
      } as never;
    },
    opened: openedPromise,
    get options() {
      return options;
    },
    subscribe() {
      state = 'subscribed';
      options?.onStatus?.({
        state: 'subscribed',
        miners: ['rig-1'],
        events: [],
        reconnected: false,
      });
    },
    log(e: LogEntryDto, minerId = 'rig-1') {
      options?.onEvent({ type: 'event', event: 'miner.log', data: { minerId, entry: e } } as never);
    },
  };
}

describe('logs', () => {
  it('prints the tail, or one JSON document', async () => {
    const client = {
      logs: async () => ({
        entries: [entry(1), { ...entry(2, 'oops'), stream: 'stderr' as const }],
        lastSeq: 2,
        firstSeq: 1,
      }),
    };
    const run = await runWith([...URL_ARGS, 'logs', 'rig-1', '--tail', '2'], { client });
    expect(run.stdout).toMatch(/^\d\d:\d\d:\d\d line 1\n\d\d:\d\d:\d\d stderr oops\n$/);
    const json = await runWith([...URL_ARGS, '--json', 'logs', 'rig-1'], { client });
    expect(JSON.parse(json.stdout)).toMatchObject({ minerId: 'rig-1', lastSeq: 2 });
  });

  it('rejects a bad --tail as a usage error', async () => {
    const run = await runWith([...URL_ARGS, 'logs', 'rig-1', '--tail', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--tail must be an integer');
  });

  it('-f follows the stream in order, fills gaps from logs?since, and ends with exit 0 on Ctrl-C', async () => {
    const server: LogEntryDto[] = [entry(1), entry(2)];
    const calls: { since?: number; tail?: number }[] = [];
    const stream = fakeEvents();
    const interrupt = new AbortController();
    const client = {
      logs: async (_id: string, q: { since?: number; tail?: number } = {}) => {
        calls.push(q);
        const after = q.since ?? server.length - (q.tail ?? 100);
        const entries = server.filter((e) => e.seq > after);
        return { entries, lastSeq: server.length, firstSeq: 1 };
      },
      events: stream.events,
    };
    const printed: string[] = [];
    const running = runWith([...URL_ARGS, '--json', 'logs', 'rig-1', '-f'], {
      client,
      interrupt: () => interrupt.signal,
      stdout: (text) => printed.push(text),
    });
    const printedSeqs = () => printed.map((line) => JSON.parse(line).seq as number);
    await stream.opened;
    expect(stream.options).toMatchObject({
      miners: ['rig-1'],
      events: ['miner.log', 'miner.removed'],
    });
    expect(printedSeqs()).toEqual([1, 2]); // the tail
    server.push(entry(3)); // written between the tail and the subscription
    stream.subscribe(); // → backfill since=2 prints 3
    await until(() => printed.length === 3);
    stream.log(entry(3)); // duplicate of the backfill: skipped
    server.push(entry(4));
    stream.log(entry(4));
    stream.log(entry(4, 'dup')); // duplicate: skipped
    server.push(entry(5), entry(6));
    stream.log(entry(6)); // 5 was missed → backfill since=4 prints 5, 6
    stream.log(entry(7), 'other-miner'); // not ours
    await until(() => printed.length === 6);
    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(0);
    const lines = printed.map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.minerId}:${l.seq}:${l.text}`)).toEqual([
      'rig-1:1:line 1',
      'rig-1:2:line 2',
      'rig-1:3:line 3',
      'rig-1:4:line 4',
      'rig-1:5:line 5',
      'rig-1:6:line 6',
    ]);
    expect(calls).toEqual([{ tail: 100 }, { since: 2, tail: 1000 }, { since: 4, tail: 1000 }]);
  });

  it('-f polls logs?since while the event stream is unavailable', async () => {
    const server: LogEntryDto[] = [entry(1)];
    const stream = fakeEvents();
    const interrupt = new AbortController();
    let polls = 0;
    const client = {
      logs: async (_id: string, q: { since?: number } = {}) => {
        polls += 1;
        if (polls === 3) server.push(entry(2));
        if (polls === 4) queueMicrotask(() => interrupt.abort());
        return {
          entries: server.filter((e) => e.seq > (q.since ?? 0)),
          lastSeq: server.length,
          firstSeq: 1,
        };
      },
      events: stream.events,
    };
    const run = await runWith([...URL_ARGS, 'logs', 'rig-1', '-f', '--poll-ms', '10'], {
      client,
      interrupt: () => interrupt.signal,
    });
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((l) => l.slice(9)),
    ).toEqual(['line 1', 'line 2']);
  }, 10_000);
});

describe('history', () => {
  it('draws a sparkline with min / avg / max', async () => {
    let query: unknown;
    const run = await runWith([...URL_ARGS, 'history', 'rig-1', '--since', '1h'], {
      client: {
        history: async (_id: string, q: unknown) => {
          query = q;
          return {
            resolution: 'memory',
            points: [0, 1, 2, 3, 4, 5, 6, 7].map((v, i) => ({ time: i, hashrate: 1000 + v * 100 })),
          };
        },
      },
    });
    expect(run.code).toBe(0);
    expect(query).toEqual({ from: NOW - 3_600_000, to: NOW, maxPoints: 58 });
    const lines = run.stdout.split('\n');
    expect(lines[0]).toContain('rig-1  last 1h  (');
    expect(lines[1]).toBe('▁▂▃▄▅▆▇█');
    expect(lines[2]).toBe('min 1.00 kH/s  avg 1.35 kH/s  max 1.70 kH/s');
  });

  it('prints the points with --json and refuses a bad --since (exit 2)', async () => {
    const client = {
      history: async () => ({ resolution: '1m', points: [{ time: 1, hashrate: 5 }] }),
    };
    const json = await runWith([...URL_ARGS, '--json', 'history', 'rig-1', '--max-points', '10'], {
      client,
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      minerId: 'rig-1',
      resolution: '1m',
      stats: { min: 5, avg: 5, max: 5 },
      points: [{ time: 1, hashrate: 5 }],
    });
    const bad = await runWith([...URL_ARGS, 'history', 'rig-1', '--since', 'yesterday'], {
      client,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a duration like 15m, 24h or 7d');
  });
});

describe('adapters, token', () => {
  it('lists adapters', async () => {
    const run = await runWith([...URL_ARGS, 'adapters'], {
      client: {
        adapters: async () => [
          { kind: 'xmrig', name: '@rigkit/adapter-xmrig', version: '0.1.0', core: '^0.1.0' },
        ],
      },
    });
    expect(run.stdout).toBe(
      'KIND   PACKAGE                VERSION  CORE\nxmrig  @rigkit/adapter-xmrig  0.1.0    ^0.1.0\n',
    );
  });

  it('token prints the data dir token, or exits 4 when there is none', async () => {
    const dir = tempDir();
    const missing = await runWith(['--data-dir', dir, 'token']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('rigkit serve');
    writeFileSync(join(dir, 'api-token'), 'secret-token\n', { mode: 0o600 });
    const found = await runWith(['--data-dir', dir, 'token']);
    expect(found).toMatchObject({ code: 0, stdout: 'secret-token\n' });
    const env = await runWith(['--data-dir', dir, '--json', 'token'], {
      env: { RIGKIT_TOKEN: 'from-env' },
    });
    expect(JSON.parse(env.stdout)).toEqual({ token: 'from-env', source: 'env' });
  });
});

describe('server discovery', () => {
  it('exits 5 with a helpful message when no server runs for the data dir', async () => {
    const dir = tempDir();
    const run = await runWith(['--data-dir', dir, 'ls']);
    expect(run.code).toBe(5);
    expect(run.stderr).toBe(
      `rigkit: no Rigkit server is running for data dir ${dir}; start one with \`rigkit serve\` (or pass --data-dir / --url)\n`,
    );
  });

  it('treats a server.json of a dead pid as stale (exit 5)', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({ url: 'http://127.0.0.1:7420', pid: 2 ** 22 + 1, startedAt: 1 }),
    );
    const run = await runWith(['--data-dir', dir, 'ls']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('stale server.json');
  });

  it('uses server.json and the token file of a live server', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'server.json'),
      JSON.stringify({ url: 'http://127.0.0.1:7999', pid: process.pid, startedAt: 1 }),
    );
    writeFileSync(join(dir, 'api-token'), 'tok\n');
    const run = await runWith(['--data-dir', dir, 'ls', '--json'], {
      client: { listMiners: async () => [] },
    });
    expect(run.code).toBe(0);
    expect(run.targets).toEqual([{ url: 'http://127.0.0.1:7999', token: 'tok', dataDir: dir }]);
    const overridden = await runWith(['--data-dir', dir, '--token', 'cli', 'ls', '--json'], {
      client: { listMiners: async () => [] },
      env: { RIGKIT_TOKEN: 'env' },
    });
    expect(overridden.targets[0]?.token).toBe('cli');
  });

  it('reports usage errors with exit 2 and help with exit 0', async () => {
    const unknown = await runWith(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("rigkit: unknown command 'frobnicate'");
    const missingArg = await runWith(['stop']);
    expect(missingArg.code).toBe(2);
    expect(missingArg.stderr).toContain("missing required argument 'id'");
    const help = await runWith(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('5  server unreachable');
    for (const name of ['serve', 'ls', 'status', 'logs', 'history', 'doctor', 'sim', 'proxy']) {
      expect(help.stdout).toContain(`  ${name}`);
    }
  });
});

describe('doctor', () => {
  it('reports a checklist and fails when the data dir is unusable', async () => {
    const dir = tempDir();
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: () => {}, env: {} };
    const ok = await doctor(createContext(io, { dataDir: dir, json: true }), {
      port: 0,
      adapterPackages: [],
    });
    expect(ok.map((c) => `${c.id}:${c.status}`)).toEqual([
      'node:ok',
      'data-dir:ok',
      'token:warn',
      'server:warn',
      'database:warn',
      'port:ok',
    ]);
    expect(JSON.parse(out.join(''))).toMatchObject({ ok: true });

    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    const text: string[] = [];
    const failing = createContext(
      { stdout: (t) => text.push(t), stderr: () => {}, env: {} },
      { dataDir: file },
    );
    await expect(doctor(failing, { port: 0, adapterPackages: [] })).rejects.toMatchObject({
      exitCode: 1,
      silent: true,
    });
    expect(text.join('')).toContain(`✗ data-dir  ${file} is not a directory`);
  });

  it('warns about a token file others can read, and reports adapters it cannot load', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'api-token'), 'x\n');
    chmodSync(join(dir, 'api-token'), 0o644);
    const checks = await doctor(
      createContext({ stdout: () => {}, stderr: () => {}, env: {} }, { dataDir: dir }),
      {
        port: 0,
        adapterPackages: ['@rigkit/not-installed-adapter'],
      },
    );
    expect(checks.find((c) => c.id === 'token')?.message).toContain('chmod 600');
    expect(checks.some((c) => c.id.includes('not-installed'))).toBe(false); // not installed: skipped
  });

  it('compares Node versions', () => {
    expect(nodeVersionOk('20.19.0')).toBe(true);
    expect(nodeVersionOk('v22.1.0')).toBe(true);
    expect(nodeVersionOk('20.18.9')).toBe(false);
    expect(nodeVersionOk('18.20.0')).toBe(false);
  });
});
