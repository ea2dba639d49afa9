/**
 * `@rigkit/testkit/simulators`: separate processes that behave like the programs Rigkit
 * supervises. This entry imports nothing from vitest, so the CLI (`rigkit sim xmrig`) and the
 * server's demo mode can use it at run time.
 *
 * @module
 */

export type {
  CryptoNoteJobEvent,
  CryptoNotePool,
  CryptoNotePoolOptions,
  CryptoNotePoolStats,
  CryptoNotePushedJob,
  CryptoNotePushJobOptions,
  CryptoNoteRejectReason,
  CryptoNoteShareEvent,
  CryptoNoteVardiff,
} from './sim/pool/cryptonote-pool.js';
export { startCryptoNotePool } from './sim/pool/cryptonote-pool.js';
export { simPoolPath } from './sim/pool/sim-pool-path.js';
export type {
  StratumV1Pool,
  StratumV1PoolJob,
  StratumV1PoolJobEvent,
  StratumV1PoolOptions,
  StratumV1PoolShareEvent,
  StratumV1PoolStats,
  StratumV1ReconnectOptions,
  StratumV1VardiffOptions,
} from './sim/pool/stratum-v1-pool.js';
export { SV1_ERROR, startStratumV1Pool } from './sim/pool/stratum-v1-pool.js';
export type { SimulatorExit, SimulatorProcess } from './sim/shared/simulator-process.js';
export type {
  CryptoNoteJob,
  CryptoNoteLogin,
  CryptoNoteLoginParams,
  CryptoNoteShare,
} from './sim/stratum-client/cryptonote-client.js';
export {
  CryptoNoteClient,
  connectCryptoNoteClient,
} from './sim/stratum-client/cryptonote-client.js';
export type {
  ConnectStratumClientOptions,
  StratumClientClosed,
  StratumClientCounters,
  StratumCloseReason,
  StratumNotification,
  StratumNotificationListener,
  StratumReply,
  StratumRequestOptions,
} from './sim/stratum-client/stratum-client.js';
export { connectStratumClient, StratumClient } from './sim/stratum-client/stratum-client.js';
export type { StratumClientErrorCode } from './sim/stratum-client/stratum-client-error.js';
export {
  poolErrorMessage,
  StratumClientError,
  StratumReplyError,
} from './sim/stratum-client/stratum-client-error.js';
export type {
  StratumV1Error,
  StratumV1Notify,
  StratumV1Reconnect,
  StratumV1SubmitResult,
  StratumV1Subscription,
} from './sim/stratum-client/stratum-v1-client.js';
export {
  BitcoinStratumClient,
  connectBitcoinStratumClient,
} from './sim/stratum-client/stratum-v1-client.js';
export type { FindSv1ShareOptions, FoundSv1Share, Sv1Work } from './sim/sv1/find-sv1-share.js';
export { findSv1Share, Sv1NonceSearch } from './sim/sv1/find-sv1-share.js';
export { sha256d } from './sim/sv1/sha256d.js';
export { Sha256dShareFinder, sha256dShareFinder } from './sim/sv1/sha256d-share-finder.js';
export type {
  StratumV1Miner,
  StratumV1MinerEvents,
  StratumV1MinerOptions,
  StratumV1MinerShareEvent,
  StratumV1MinerStats,
  WaitForSharesOptions,
} from './sim/sv1/stratum-v1-miner.js';
export { StratumV1MinerError, startStratumV1Miner } from './sim/sv1/stratum-v1-miner.js';
export type {
  PreparedSv1Job,
  Sv1HeaderFields,
  Sv1Submission,
  Sv1Target,
  Sv1Verdict,
  Sv1VerifyContext,
} from './sim/sv1/sv1-share.js';
export {
  buildCoinbase,
  buildSv1Header,
  difficultyToExactTarget,
  hashMeetsTarget,
  merkleRootFromBranch,
  prepareSv1Job,
  rollVersion,
  stratumPrevHashToHeader,
  sv1MerkleRoot,
  sv1Target,
  verifySv1Share,
} from './sim/sv1/sv1-share.js';
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
