// Adapter conformance suite

// Adapter unit-test helpers
export type {
  AdapterTestContext,
  AdapterTestEvent,
} from './adapter-testing/adapter-test-context.js';
export { createAdapterTestContext } from './adapter-testing/adapter-test-context.js';
export type { CapturingLogger, LogCall } from './adapter-testing/capturing-logger.js';
export { createCapturingLogger, renderForSearch } from './adapter-testing/capturing-logger.js';
export type {
  AdapterConformanceOptions,
  ConformanceFixtures,
  ConformanceOptionsInput,
} from './conformance/describe-adapter-conformance.js';
export {
  CONFORMANCE_SUPERVISION,
  describeAdapterConformance,
} from './conformance/describe-adapter-conformance.js';
export { sampleProblems } from './conformance/sample-problems.js';
export { EventTimeoutError, waitForEvent } from './conformance/wait-for-event.js';
// Fake process (a scriptable miner stand-in) and its adapter
export type {
  FakeProcessOptions,
  FakeProcessSession,
} from './fake-process/fake-process-adapter.js';
export {
  fakeProcessAdapter,
  fakeProcessArgs,
  fakeProcessOptionsSchema,
} from './fake-process/fake-process-adapter.js';
export { fakeProcessPath } from './fake-process/fake-process-path.js';
// Leak checks
export type { LeakCheckOptions } from './leaks/expect-no-leaks.js';
export { expectNoLeaks, ResourceLeakError, waitForBaseline } from './leaks/expect-no-leaks.js';
export type { ResourceSnapshot } from './leaks/snapshot-resources.js';
export { diffResources, snapshotResources } from './leaks/snapshot-resources.js';
// Processes
export { isProcessAlive, waitForProcessExit } from './process/process-alive.js';
export { TEST_POOL_TLS } from './sim/xmrig/testing/tls-test-cert.js';
// Simulators (also at `@rigkit/testkit/simulators`, which does not import vitest)
export type {
  CryptoNotePool,
  CryptoNotePoolOptions,
  CryptoNotePoolStats,
  Getstat1QueryFailure,
  QueryMinerGetstat1Options,
  SimulatorExit,
  SimulatorProcess,
  StartTtminerSimulatorOptions,
  StartXmrigSimulatorOptions,
  TtminerSimulatorExit,
  TtminerSimulatorProcess,
  WaitForLineOptions,
  XmrigLineShape,
  XmrigSimulatorArgsOptions,
  XmrigSimulatorExit,
  XmrigSimulatorFaults,
  XmrigSimulatorPoolArgs,
  XmrigSimulatorProcess,
} from './simulators.js';
export {
  Getstat1QueryError,
  matchXmrigLine,
  queryMinerGetstat1,
  simTtminerPath,
  simXmrigPath,
  startCryptoNotePool,
  startTtminerSimulator,
  startXmrigSimulator,
  writeTtminerSimulatorWrapper,
  writeXmrigSimulatorWrapper,
  XMRIG_LINE_SHAPES,
  xmrigSimulatorArgs,
} from './simulators.js';
