/**
 * `@rigkit/testkit/simulators`: separate processes that behave like the programs Rigkit
 * supervises. This entry imports nothing from vitest, so the CLI (`rigkit sim xmrig`) and the
 * server's demo mode can use it at run time.
 *
 * @module
 */

export type {
  CryptoNotePool,
  CryptoNotePoolOptions,
  CryptoNotePoolStats,
} from './sim/pool/cryptonote-pool.js';
export { startCryptoNotePool } from './sim/pool/cryptonote-pool.js';
export type { SimulatorExit, SimulatorProcess } from './sim/shared/simulator-process.js';
export type {
  Getstat1QueryFailure,
  QueryMinerGetstat1Options,
} from './sim/ttminer/query-miner-getstat1.js';
export { Getstat1QueryError, queryMinerGetstat1 } from './sim/ttminer/query-miner-getstat1.js';
export { simTtminerPath } from './sim/ttminer/sim-ttminer-path.js';
export type {
  StartTtminerSimulatorOptions,
  TtminerSimulatorExit,
  TtminerSimulatorProcess,
} from './sim/ttminer/start-ttminer-simulator.js';
export { startTtminerSimulator } from './sim/ttminer/start-ttminer-simulator.js';
export { writeTtminerSimulatorWrapper } from './sim/ttminer/write-ttminer-simulator-wrapper.js';
export { simXmrigPath } from './sim/xmrig/sim-xmrig-path.js';
export type {
  StartXmrigSimulatorOptions,
  WaitForLineOptions,
  XmrigSimulatorExit,
  XmrigSimulatorProcess,
} from './sim/xmrig/start-xmrig-simulator.js';
export { startXmrigSimulator } from './sim/xmrig/start-xmrig-simulator.js';
export { writeXmrigSimulatorWrapper } from './sim/xmrig/write-xmrig-simulator-wrapper.js';
export type { XmrigLineShape } from './sim/xmrig/xmrig-line-shapes.js';
export { matchXmrigLine, XMRIG_LINE_SHAPES } from './sim/xmrig/xmrig-line-shapes.js';
export type {
  XmrigSimulatorArgsOptions,
  XmrigSimulatorFaults,
  XmrigSimulatorPoolArgs,
} from './sim/xmrig/xmrig-simulator-args.js';
export { xmrigSimulatorArgs } from './sim/xmrig/xmrig-simulator-args.js';
