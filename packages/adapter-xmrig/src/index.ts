export {
  type CreateXmrigAdapterOptions,
  createXmrigAdapter,
  type XmrigAdapter,
  xmrigAdapter,
  xmrigAdapter as default,
} from './adapter/create-xmrig-adapter.js';
export type { XmrigSession } from './adapter/xmrig-session.js';
export { backendsToDevices } from './api/backends-to-devices.js';
export { parseDifficulty, parseDifficultyText } from './api/difficulty.js';
export { type SummaryToSampleOptions, summaryToSample } from './api/summary-to-sample.js';
export {
  MAX_API_BODY_BYTES,
  XmrigApiClient,
  type XmrigApiClientOptions,
} from './api/xmrig-api-client.js';
export { toXmrigArgs, toXmrigConfigFileArgs } from './command/to-xmrig-args.js';
export { toXmrigConfig, type XmrigConfig } from './command/to-xmrig-config.js';
export type { XmrigHttpApi } from './command/xmrig-http-api.js';
export { type DetectXmrigOptions, detectXmrig } from './detect/detect-xmrig.js';
export { parseXmrigVersion } from './detect/parse-xmrig-version.js';
export {
  type ArchiveEntry,
  checkArchiveEntries,
  type UnsafeArchiveReason,
} from './install/archive-entry-policy.js';
export {
  type InstalledXmrig,
  type InstallXmrigOptions,
  installXmrig,
  MAX_DOWNLOAD_BYTES,
  type XmrigInstallSource,
} from './install/install-xmrig.js';
export { parseSha256Sums } from './install/sha256sums.js';
export { EXTRA_ARG_RULES, type ExtraArgRule } from './options/extra-args.js';
export {
  type XmrigOptions,
  type XmrigOptionsInput,
  type XmrigPoolOptions,
  xmrigOptionsSchema,
} from './options/xmrig-options.js';
export { type XmrigCommand, xmrigCommands } from './stdin/xmrig-commands.js';
export { parseXmrigLine, type XmrigEventType } from './stdout/parse-xmrig-line.js';
