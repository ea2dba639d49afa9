import { afterEach } from 'vitest';
import {
  type StartTtminerSimulatorOptions,
  startTtminerSimulator,
  type TtminerSimulatorProcess,
} from '../start-ttminer-simulator.js';
import { StratumV1TestPool, type StratumV1TestPoolOptions } from './stratum-v1-test-pool.js';

/**
 * Starts simulators and test pools that are stopped after each test of the file that calls
 * it. Simulators get `-nocolor` unless `colors` is set.
 */
export function trackSimulators() {
  const sims: TtminerSimulatorProcess[] = [];
  const pools: StratumV1TestPool[] = [];
  afterEach(async () => {
    await Promise.all([
      ...sims.splice(0).map((sim) => sim.stop({ timeoutMs: 2000 })),
      ...pools.splice(0).map((pool) => pool.close()),
    ]);
  });
  return {
    async sim(
      args: readonly string[],
      options: StartTtminerSimulatorOptions & { colors?: boolean } = {},
    ): Promise<TtminerSimulatorProcess> {
      const sim = await startTtminerSimulator(
        options.colors ? args : ['-nocolor', ...args],
        options,
      );
      sims.push(sim);
      return sim;
    },
    async pool(options: StratumV1TestPoolOptions = {}): Promise<StratumV1TestPool> {
      const pool = await StratumV1TestPool.start(options);
      pools.push(pool);
      return pool;
    },
  };
}
