export type {
  StratumProxyAdapter,
  StratumProxySession,
} from './adapter/create-stratum-proxy-adapter.js';
export {
  createStratumProxyAdapter,
  stratumProxyAdapter,
} from './adapter/create-stratum-proxy-adapter.js';
export { targetToDifficulty } from './cryptonote/target.js';
export type { CloseReason } from './downstream/downstream-connection.js';
export {
  ConnectionLimitError,
  ProxyListenError,
  StratumMessageTooLargeError,
  StratumProtocolError,
  UpstreamUnavailableError,
} from './errors.js';
export { parseProxyOptions } from './options/parse-proxy-options.js';
export type { ProxyOptions, ProxyOptionsInput } from './options/proxy-options.js';
export { proxyOptionsSchema } from './options/proxy-options.js';
export type { UpstreamInfo } from './proxy/proxy-engine.js';
export type { ProxyStats, StratumProxyDeps } from './proxy/stratum-proxy.js';
export { createStratumProxy, StratumProxy } from './proxy/stratum-proxy.js';
export type { ShareResult, WorkerSnapshot } from './stats/worker-stats.js';
