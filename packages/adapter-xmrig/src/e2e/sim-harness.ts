// Shared set-up of the end-to-end tests that run the xmrig adapter against `rigkit-sim-xmrig`
// (from @rigkit/testkit) under a real core Manager.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBus, RigkitEvents, SupervisionOptions } from '@rigkit/core';
import { waitForEvent } from '@rigkit/testkit';

/**
 * Simulated time runs 20× faster: xmrig's 10 s hashrate window fills after ~0.55 s of real
 * time and the 60 s one after ~3 s, so the windows a test needs fill quickly.
 */
export const TIME_SCALE = 20;

/** Mean simulated hashrate, H/s. */
export const SIM_HASHRATE = 1000;

/**
 * Share difficulty of the test pools: at 1000 H/s and time scale 20 a share is found about
 * every 0.25 s of real time — shares flow, without flooding the logs.
 */
export const POOL_DIFFICULTY = 5000;

/** Longest wait for one event on a loaded 2-core machine. */
export const EVENT_TIMEOUT_MS = 15_000;

/** `--sim-*` arguments every simulator wrapper starts with (faults are appended). */
export function simArgs(seed: number, ...more: string[]): string[] {
  return [
    '--sim-time-scale',
    String(TIME_SCALE),
    '--sim-hashrate',
    String(SIM_HASHRATE),
    '--sim-seed',
    String(seed),
    ...more,
  ];
}

/**
 * Quick supervision for one miner: probes four times a second, no warm-up (the adapter
 * suggests 60 s), no stall detection unless a case turns it on, quick restarts without jitter.
 */
export const FAST_SUPERVISION: Readonly<Partial<SupervisionOptions>> = Object.freeze({
  probeIntervalMs: 250,
  // Generous: a healthy simulator on a loaded machine must not look hung.
  probeTimeoutMs: 2000,
  readyPollMs: 25,
  startTimeoutMs: 10_000,
  warmupMs: 0,
  unhealthyAfter: 2,
  stallTimeoutMs: 0,
  backoffInitialMs: 50,
  backoffMaxMs: 500,
  backoffJitter: 0,
  stopGraceMs: 5000,
});

/** Waits for one event of `minerId` (subscribe before triggering it). */
export function waitForMinerEvent<K extends keyof RigkitEvents & string>(
  events: EventBus<RigkitEvents>,
  minerId: string,
  type: K,
  predicate: (payload: RigkitEvents[K]) => boolean = () => true,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<RigkitEvents[K]> {
  return waitForEvent(
    events,
    type,
    (payload) => (payload as { minerId?: string }).minerId === minerId && predicate(payload),
    timeoutMs,
  );
}

/** The xmrig config files the adapter wrote into a miner's data dir, parsed. */
export function readXmrigConfigs(minerDir: string): XmrigConfigOnDisk[] {
  let names: string[];
  try {
    names = readdirSync(minerDir).filter((name) => /^xmrig-.*\.json$/.test(name));
  } catch {
    return [];
  }
  const configs: XmrigConfigOnDisk[] = [];
  for (const name of names) {
    try {
      configs.push(JSON.parse(readFileSync(join(minerDir, name), 'utf8')) as XmrigConfigOnDisk);
    } catch {
      // Removed (or being renamed into place) between readdir and read.
    }
  }
  return configs;
}

/** The parts of the generated config file these tests look at. */
export interface XmrigConfigOnDisk {
  http: { host: string; port: number; 'access-token': string };
  pools: { url: string; user: string; pass?: string }[];
}
