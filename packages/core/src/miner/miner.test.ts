import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistorySink } from '../session/history-sink.js';
import type { SessionRecord } from '../session/session-record.js';
import { harness, nextEvent } from '../testing/harness.js';

describe('Miner lifecycle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts to running, stops to stopped, and records the session', async () => {
    const { manager, launcher, states, events } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'rig 1', options: { threads: 2 } });
    expect(miner.state).toBe('idle');
    await miner.start();
    expect(miner.state).toBe('running');
    expect(launcher.live()).toHaveLength(1);
    await miner.stop();
    expect(miner.state).toBe('stopped');
    expect(launcher.live()).toHaveLength(0);
    expect(states()).toEqual(['starting', 'running', 'stopping', 'stopped']);
    const sessions = events
      .filter((e) => e.type === 'miner.session')
      .map((e) => e.payload as { phase: string; session: SessionRecord });
    expect(sessions.map((s) => s.phase)).toEqual(['start', 'end']);
    expect(sessions[1]?.session).toMatchObject({
      endReason: 'stopped',
      signal: 'SIGTERM',
      generation: 1,
    });
    await manager.close();
  });

  it('is idempotent: start twice runs one process, stop twice is harmless', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await Promise.all([miner.start(), miner.start()]);
    expect(launcher.processes).toHaveLength(1);
    await Promise.all([miner.stop(), miner.stop()]);
    await miner.stop();
    expect(miner.state).toBe('stopped');
    await manager.close();
  });

  it('a stop during start aborts the start cleanly', async () => {
    const { manager, launcher, behaviour, states } = harness({}, { probe: 'not-ready' });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    const starting = miner.start();
    await vi.advanceTimersByTimeAsync(300); // a few readiness polls
    expect(miner.state).toBe('starting');
    const stopping = miner.stop();
    await expect(starting).rejects.toMatchObject({ code: 'E_ABORTED' });
    await stopping;
    expect(miner.state).toBe('stopped');
    expect(launcher.live()).toHaveLength(0);
    expect(states()).toEqual(['starting', 'stopping', 'stopped']);
    behaviour.probe = 'ok';
    await miner.start();
    expect(miner.state).toBe('running');
    expect(vi.getTimerCount()).toBeGreaterThan(0); // the probe interval of the live run
    await manager.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stop cancels starts queued before it instead of waiting behind them', async () => {
    const { manager, launcher } = harness({}, { probe: 'not-ready' });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    const first = miner.start();
    const queued = [miner.start(), miner.restart()];
    const stopped = miner.stop();
    await expect(first).rejects.toMatchObject({ code: 'E_ABORTED' });
    for (const op of queued) await expect(op).rejects.toMatchObject({ code: 'E_ABORTED' });
    await stopped;
    // The stop arrived before any start got its turn: nothing was launched at all.
    expect(miner.state).toBe('idle');
    expect(launcher.processes).toHaveLength(0);
    await manager.close();
  });

  it('restarts a crashed miner with exponential backoff and emits miner.restart(exit)', async () => {
    const { manager, launcher, states } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const restart = nextEvent(manager.events, 'miner.restart');
    launcher.last().crash(3);
    expect(await restart).toMatchObject({ reason: 'exit', attempt: 1, delayMs: 1000 });
    expect(miner.state).toBe('backoff');
    expect(miner.info().lastExit).toMatchObject({ code: 3 });
    await vi.advanceTimersByTimeAsync(999);
    expect(launcher.processes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(miner.state).toBe('running');
    expect(launcher.live()).toHaveLength(1);
    const second = nextEvent(manager.events, 'miner.restart');
    launcher.last().crash();
    expect(await second).toMatchObject({ attempt: 2, delayMs: 2000 });
    expect(states()).toEqual([
      'starting',
      'running',
      'crashed',
      'backoff',
      'starting',
      'running',
      'crashed',
      'backoff',
    ]);
    await manager.close();
  });

  it('gives up after N restarts in the window (crash-loop breaker) and says why', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    for (let i = 0; i < 3; i++) {
      launcher.last().crash();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(miner.state).toBe('running');
    }
    const failed = nextEvent(manager.events, 'miner.state', (e) => e.to === 'failed');
    launcher.last().crash();
    expect(await failed).toMatchObject({ from: 'crashed', reason: 'crash-loop' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(miner.state).toBe('failed');
    expect(launcher.live()).toHaveLength(0);
    // An explicit start leaves failed and resets the breaker.
    await miner.start();
    expect(miner.state).toBe('running');
    await manager.close();
  });

  it('restarts after consecutive probe timeouts (hang) with reason probe-timeout', async () => {
    const { manager, launcher, behaviour } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    behaviour.probe = 'hang';
    const restart = nextEvent(manager.events, 'miner.restart');
    await vi.advanceTimersByTimeAsync(1000 + 500); // probe 1 times out
    expect(miner.state).toBe('running');
    await vi.advanceTimersByTimeAsync(1000); // probe 2 times out → unhealthy
    expect(await restart).toMatchObject({ reason: 'probe-timeout' });
    expect(launcher.processes[0]?.alive).toBe(false);
    behaviour.probe = 'ok';
    await vi.advanceTimersByTimeAsync(1000);
    expect(miner.state).toBe('running');
    expect(launcher.live()).toHaveLength(1);
    await manager.close();
  });

  it('restarts on explicit unhealthy reports with reason unhealthy', async () => {
    const { manager, behaviour } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    behaviour.probe = 'unhealthy';
    const restart = nextEvent(manager.events, 'miner.restart');
    await vi.advanceTimersByTimeAsync(2000);
    expect(await restart).toMatchObject({ reason: 'unhealthy' });
    await manager.close();
  });

  it('waits out the warm-up, then restarts a zero-hashrate miner with reason stall', async () => {
    const { manager, behaviour } = harness({
      supervision: {
        warmupMs: 30_000,
        stallTimeoutMs: 60_000,
        probeIntervalMs: 10_000,
        backoffInitialMs: 1000,
      },
    });
    behaviour.hashrate = 0;
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const restarts: string[] = [];
    miner.on('miner.restart', (e) => restarts.push(e.reason));
    await vi.advanceTimersByTimeAsync(80_000); // warm-up + 50 s of zero: not yet
    expect(restarts).toEqual([]);
    await vi.advanceTimersByTimeAsync(10_000); // 60 s of zero after warm-up
    expect(restarts).toEqual(['stall']);
    await manager.close();
  });

  it('does not stall a miner whose hashrate is positive', async () => {
    const { manager } = harness({ supervision: { stallTimeoutMs: 20_000, probeIntervalMs: 5000 } });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(miner.state).toBe('running');
    expect(miner.generation).toBe(1);
    await manager.close();
  });

  it('restarts on a relative hashrate drop when enabled (off by default)', async () => {
    const { manager, behaviour } = harness({
      supervision: { dropRatio: 0.5, dropSamples: 3, dropWindow: 10, probeIntervalMs: 60_000 },
    });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    for (let i = 0; i < 8; i++) await miner.sample();
    behaviour.hashrate = 400; // −60 % vs the median of 1000
    const restart = nextEvent(manager.events, 'miner.restart');
    await miner.sample();
    await miner.sample();
    expect(miner.generation).toBe(1);
    await miner.sample();
    expect(await restart).toMatchObject({ reason: 'drop' });
    await manager.close();

    const other = harness({ supervision: { probeIntervalMs: 60_000 } });
    const m2 = await other.manager.create({ kind: 'fake', name: 'b' });
    await m2.start();
    for (let i = 0; i < 8; i++) await m2.sample();
    other.behaviour.hashrate = 1;
    for (let i = 0; i < 8; i++) await m2.sample();
    expect(m2.generation).toBe(1);
    await other.manager.close();
  });

  it('ignores a late exit from an old generation', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const old = launcher.last();
    await miner.restart();
    expect(miner.generation).toBe(2);
    expect(old.alive).toBe(false);
    // The old process's exit was already observed; firing "crash" again must change nothing.
    old.crash(9);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(miner.state).toBe('running');
    expect(miner.generation).toBe(2);
    expect(launcher.live()).toHaveLength(1);
    await manager.close();
  });

  it('treats a failed launch as a crash: start() rejects, the supervisor retries', async () => {
    const { manager, launcher, states } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    launcher.failNext = 1;
    await expect(miner.start()).rejects.toThrow('spawn ENOENT');
    expect(miner.state).toBe('backoff');
    await vi.advanceTimersByTimeAsync(1000);
    expect(miner.state).toBe('running');
    expect(states()).toEqual(['starting', 'crashed', 'backoff', 'starting', 'running']);
    await manager.close();
  });

  it('gives up a start that never becomes ready (start-timeout) and retries with backoff', async () => {
    const { manager, launcher, behaviour } = harness({}, { probe: 'not-ready' });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    const start = miner.start();
    const assertion = expect(start).rejects.toMatchObject({ code: 'E_START_TIMEOUT' });
    const restart = nextEvent(manager.events, 'miner.restart');
    await vi.waitFor(() => expect(launcher.processes).toHaveLength(1)); // first start creates the data dir
    await vi.advanceTimersByTimeAsync(5000);
    await assertion;
    expect(await restart).toMatchObject({ reason: 'start-timeout' });
    expect(launcher.live()).toHaveLength(0);
    behaviour.probe = 'ok';
    await vi.advanceTimersByTimeAsync(1000);
    expect(miner.state).toBe('running');
    await manager.close();
  });

  it('calls the adapter cleanup after every run, including failed launches and early exits', async () => {
    const { manager, launcher, behaviour } = harness({}, { probe: 'not-ready' });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    launcher.failNext = 1;
    await expect(miner.start()).rejects.toThrow('spawn ENOENT');
    expect(behaviour.cleanups).toBe(1);
    await miner.stop();
    const start = miner.start();
    await vi.advanceTimersByTimeAsync(0);
    launcher.last().crash(1);
    await expect(start).rejects.toMatchObject({ code: 'E_PROCESS_EXIT' });
    expect(behaviour.cleanups).toBe(2);
    await miner.stop();
    behaviour.probe = 'ok';
    await miner.start();
    await miner.stop();
    expect(behaviour.cleanups).toBe(3);
    await manager.close();
  });

  it('a process that dies while starting is a crash', async () => {
    const { manager, launcher } = harness({}, { probe: 'not-ready' });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    const start = miner.start();
    await vi.waitFor(() => expect(launcher.processes).toHaveLength(1));
    launcher.last().crash(2);
    await expect(start).rejects.toMatchObject({
      code: 'E_PROCESS_EXIT',
      details: { code: 2, signal: null },
    });
    expect(miner.state).toBe('backoff');
    await manager.close();
  });

  it('SIGKILLs a process that ignores the stop signal after the grace period', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    launcher.last().ignoreSigterm = true;
    const stopped = miner.stop();
    await vi.advanceTimersByTimeAsync(1999);
    expect(miner.state).toBe('stopping');
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(miner.info().lastExit).toMatchObject({ signal: 'SIGKILL' });
    await manager.close();
  });

  it('manual restart starts a new generation without backoff', async () => {
    const { manager } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const restart = nextEvent(manager.events, 'miner.restart');
    await miner.restart();
    expect(await restart).toMatchObject({ reason: 'manual', attempt: 0, delayMs: 0 });
    expect(miner.generation).toBe(2);
    expect(miner.state).toBe('running');
    await manager.close();
  });

  it('stop during backoff cancels the pending restart', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    launcher.last().crash();
    await vi.advanceTimersByTimeAsync(0);
    expect(miner.state).toBe('backoff');
    await miner.stop();
    expect(miner.state).toBe('stopped');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(launcher.processes).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    await manager.close();
  });

  it('keeps output lines in a bounded ring and tolerates a throwing parser', async () => {
    const { manager, launcher, events } = harness({ logLines: 3 });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const p = launcher.last();
    for (const line of ['one', 'boom', 'accepted (1/0)', 'four', 'five']) p.print(line);
    expect(miner.logs.tail(10).map((e) => e.text)).toEqual(['accepted (1/0)', 'four', 'five']);
    const logEvents = events
      .filter((e) => e.type === 'miner.log')
      .map((e) => e.payload as { event?: { type: string } });
    expect(logEvents).toHaveLength(5);
    expect(logEvents[2]?.event).toEqual({ type: 'share.accepted' });
    await manager.close();
  });

  it('writes to stdin only while running', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    expect(() => miner.write('h')).toThrow(
      expect.objectContaining({ code: 'E_PROCESS_NOT_RUNNING' }),
    );
    await miner.start();
    miner.write('h');
    expect(launcher.last().stdin).toEqual(['h']);
    await manager.close();
  });

  it('samples into history, the sink and events; a garbage answer is a typed error event', async () => {
    const written: unknown[] = [];
    const sink: HistorySink = { writeSample: (id, s) => written.push([id, s.hashrate]) };
    const { manager, behaviour, events } = harness({ sink });
    const miner = await manager.create({ kind: 'fake', name: 'a', id: 'rig-1' });
    await expect(miner.sample()).rejects.toMatchObject({ code: 'E_PROCESS_NOT_RUNNING' });
    await miner.start();
    const sample = await miner.sample();
    expect(sample).toMatchObject({ hashrate: 1000, shares: { accepted: 3, rejected: 1 } });
    expect(written).toEqual([['rig-1', 1000]]);
    expect(miner.history.latest()?.hashrate).toBe(1000);
    behaviour.stats = 'garbage';
    await expect(miner.sample()).rejects.toThrow(SyntaxError);
    const errorEvent = events.find((e) => e.type === 'miner.sample.error')?.payload;
    expect(errorEvent).toMatchObject({ minerId: 'rig-1', code: 'E_API_RESPONSE' });
    expect(miner.state).toBe('running');
    await manager.close();
  });

  it('a throwing sink never breaks supervision', async () => {
    const sink: HistorySink = {
      writeSample: () => {
        throw new Error('disk full');
      },
      recordSession: () => {
        throw new Error('disk full');
      },
    };
    const { manager } = harness({ sink });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    await expect(miner.sample()).resolves.toMatchObject({ hashrate: 1000 });
    await miner.stop();
    expect(miner.state).toBe('stopped');
    await manager.close();
  });
});
