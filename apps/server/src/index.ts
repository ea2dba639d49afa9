export type { AppOptions, RigkitApp } from './app.js';
export { buildApp } from './app.js';
export { ensureTokenFile, TOKEN_FILE } from './auth/token-file.js';
export type { RigkitConfig, RigkitConfigInput } from './config/config-schema.js';
export { ConfigSchema, defineConfig } from './config/config-schema.js';
export type { LoadedConfig } from './config/load-config.js';
export { loadConfig } from './config/load-config.js';
export { resolveDataDir } from './config/resolve-data-dir.js';
export { createServerLogger } from './logging/create-server-logger.js';
export { isLoopbackHost } from './security/loopback.js';
export type { RunningServer, StartServerOptions } from './start-server.js';
export { SERVER_INFO_FILE, startServer } from './start-server.js';
export type {
  ServerStore,
  StoredHistory,
  StoredMiner,
  StoredSession,
} from './store/server-store.js';
export type { EventHubOptions } from './ws/event-hub.js';
export { EventHub } from './ws/event-hub.js';
