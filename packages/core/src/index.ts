// Errors

export { withTimeout } from './abort/with-timeout.js';
export type {
  Adapter,
  AdapterApiVersion,
  AdapterContext,
  AdapterSupervisionDefaults,
  AnyAdapter,
  DetectResult,
  InProcessRunner,
  InstallProgress,
  ProcessSpec,
} from './adapter/adapter.js';
export { AdapterRegistry, assertAdapter } from './adapter/adapter-registry.js';
// Adapter contract
export { defineAdapter } from './adapter/define-adapter.js';
export type { DeviceRow, HealthReport, MinerEvent, Sample, ShareCounts } from './adapter/sample.js';
export { validateWithSchema } from './adapter/validate-options.js';
export type { DetectBinaryOptions } from './detect/detect-binary.js';
export { detectBinary } from './detect/detect-binary.js';
export { findExecutable } from './detect/find-executable.js';
export type { ConfigIssue } from './errors/errors.js';
export {
  AbortedError,
  ConfigInvalidError,
  InvalidTransitionError,
  MinerBusyError,
  MinerNotFoundError,
} from './errors/errors.js';
export type { RigkitErrorCode, RigkitErrorOptions } from './errors/rigkit-error.js';
export { isRigkitError, RigkitError } from './errors/rigkit-error.js';
export type { EventBusOptions } from './events/event-bus.js';
// Events, scopes, logs, history, monitor
export { EventBus } from './events/event-bus.js';
export type {
  AdapterEventPayload,
  AdapterEventType,
  RestartReason,
  RigkitEvents,
  RigkitEventType,
} from './events/rigkit-events.js';
export type {
  HashrateHistoryOptions,
  HashrateHistoryQuery,
  HashrateHistorySize,
  HashratePoint,
  HashrateResolution,
} from './history/hashrate-history.js';
export { HashrateHistory } from './history/hashrate-history.js';
// Processes
export type { ExitInfo, Launcher, LaunchIO, RunHandle } from './launch/launcher.js';
export type { ProcessLauncherOptions } from './launch/process-launcher.js';
export { createProcessLauncher } from './launch/process-launcher.js';
export type { MinerState } from './lifecycle/transitions.js';
export { canTransition, LIVE_STATES, MINER_STATES, TRANSITIONS } from './lifecycle/transitions.js';
export type { Logger } from './logger.js';
export { silentLogger } from './logger.js';
export type { LogEntry } from './logs/log-ring.js';
export { LogRing } from './logs/log-ring.js';
export type { CreateMinerInput, ManagerOptions } from './manager/manager.js';
// Manager and miners
export { createManager, Manager } from './manager/manager.js';
export type { MinerInfo } from './miner/miner.js';
export { Miner } from './miner/miner.js';
export type {
  PressureEvent,
  PressureMetric,
  ResourceMonitorOptions,
  ResourceSnapshot,
  ResourceThresholds,
} from './monitor/resource-monitor.js';
export { ResourceMonitor } from './monitor/resource-monitor.js';
export { getFreePort } from './net/get-free-port.js';
export { NdjsonSplitter } from './net/ndjson-splitter.js';
export type { ProcessFingerprint } from './process/proc-stat.js';
export { readProcessFingerprint } from './process/proc-stat.js';
export type { Disposer, ScopeOptions } from './scope/scope.js';
export { Scope } from './scope/scope.js';
export type { HistorySink, RecordedEvent } from './session/history-sink.js';
export type { SessionEndReason, SessionRecord } from './session/session-record.js';
export type { RestartDecision } from './supervisor/restart-policy.js';
export type { SupervisionOptions } from './supervisor/supervision-options.js';
export { DEFAULT_SUPERVISION, resolveSupervision } from './supervisor/supervision-options.js';
export type { GuardDecision, TemperatureGuardOptions } from './supervisor/temperature-guard.js';
export { TemperatureGuard } from './supervisor/temperature-guard.js';
export { CORE_VERSION } from './version.js';
