import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AnyAdapter,
  ConfigInvalidError,
  createManager,
  isRigkitError,
  type Manager,
  Scope,
} from '@rigkit/core';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { ensureTokenFile, TOKEN_FILE } from './auth/token-file.js';
import { loadAdapters } from './config/load-adapters.js';
import { loadConfig } from './config/load-config.js';
import { LOCAL_DATA_DIR, resolveDataDir } from './config/resolve-data-dir.js';
import { startDemo } from './demo/start-demo.js';
import { createServerLogger } from './logging/create-server-logger.js';
import { isLoopbackHost } from './security/loopback.js';
import { openSqliteStore } from './store/open-sqlite-store.js';
import type { ServerStore } from './store/server-store.js';

/** Miners of this kind are started before the others (see the autostart below). */
const PROXY_KIND = 'stratum-proxy';

/** File in the data dir that tells the CLI where the running server listens. */
export const SERVER_INFO_FILE = 'server.json';

/** Options for {@link startServer}; each overrides the config file and environment. */
export interface StartServerOptions {
  configFile?: string | undefined;
  dataDir?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
  logLevel?: string | undefined;
  /**
   * Adapter objects to register in addition to the packages the config names; one of the
   * same kind as a configured package replaces it.
   */
  adapters?: readonly AnyAdapter[];
  /** Skip loading the config's adapter packages (tests, embedders). */
  skipConfiguredAdapters?: boolean;
  /** Open storage (default). `false` keeps history in memory only. */
  storage?: boolean;
  /** Install SIGINT/SIGTERM handling with a grace period (default true). */
  handleSignals?: boolean;
  /**
   * Demo mode: a pool simulator, a stratum proxy miner (`demo-proxy`) in front of it and three
   * simulated xmrig miners mining through the proxy; the data dir defaults to
   * `./.rigkit-data`. Everything else is the real server.
   */
  demo?: boolean;
  /** Runs after the server listens, before autostart. */
  onListening?: (server: RunningServer) => Promise<void>;
  cwd?: string;
}

/** A running server. */
export interface RunningServer {
  url: string;
  token: string;
  dataDir: string;
  manager: Manager;
  /** Graceful shutdown: stop accepting, stop miners, flush storage, close sockets. Idempotent. */
  close(): Promise<void>;
}

/**
 * The Rigkit main process: loads config, opens storage, creates the manager with the
 * configured adapters, restores and autostarts miners, and serves the API.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const loaded = await loadConfig({
    file: options.configFile,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const config = loaded.config;
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const cwd = options.cwd ?? process.cwd();
  const dataDir =
    options.demo && !options.dataDir && !config.dataDir && !process.env.RIGKIT_DATA_DIR
      ? join(cwd, LOCAL_DATA_DIR)
      : resolveDataDir(options.dataDir ?? config.dataDir, process.env, cwd);
  if (!isLoopbackHost(host) && !config.auth.token) {
    throw new ConfigInvalidError('server settings', [
      {
        path: 'auth.token',
        message: `binding to ${host} exposes the API to the network: set auth.token (or RIGKIT_TOKEN) first`,
      },
    ]);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = config.auth.token ?? (await ensureTokenFile(dataDir));
  if (config.auth.token) await writeFile(join(dataDir, TOKEN_FILE), `${token}\n`, { mode: 0o600 });

  const logger = createServerLogger(options.logLevel ?? config.log.level);
  // Everything opened from here on is released in reverse order by one scope: on close, and
  // on a failure half-way through start-up.
  const scope = new Scope({ onError: (err) => logger.error({ err }, 'shutdown step failed') });
  let uninstallSignals: (() => void) | undefined;
  let stopAccepting = () => {};
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      uninstallSignals?.();
      stopAccepting();
      await scope.dispose();
      logger.info('rigkit server stopped');
      logger.flush();
    })();
    return closing;
  };
  try {
    const configured = options.skipConfiguredAdapters
      ? []
      : await loadAdapters(config.adapters, loaded.baseDir);
    const store: ServerStore | undefined =
      options.storage === false || config.storage === false
        ? undefined
        : await openSqliteStore(join(dataDir, config.storage.file ?? 'rigkit.db'), {
            logger,
            sampleIntervalMs: config.sampleIntervalMs,
          });
    if (store) scope.defer(() => store.close());
    const demo = options.demo ? await startDemo() : undefined;
    if (demo) scope.defer(() => demo.close());
    const explicit = [...(demo?.adapters ?? []), ...(options.adapters ?? [])];
    const explicitKinds = new Set(explicit.map((adapter) => adapter.kind));
    const adapters = [
      ...explicit,
      // Adapters passed in (the demo's simulator-backed xmrig among them) take the kind of a
      // configured package, so a default list can never register one kind twice.
      ...configured.filter((adapter) => !explicitKinds.has(adapter.kind)),
    ];
    const manager = createManager({
      adapters,
      dataDir,
      logger,
      sink: store?.sink,
      supervision: config.supervision,
      sampleIntervalMs: config.sampleIntervalMs,
    });
    scope.defer(() => manager.close());
    const built = await buildApp({
      manager,
      store,
      token,
      logger,
      protectReads: !isLoopbackHost(host),
      bodyLimit: config.limits.bodyLimitBytes,
      rateLimitPerMinute: config.limits.rateLimitPerMinute,
      ws: config.ws,
    });
    // Stop taking requests and close WebSockets first, then the miners, then flush storage.
    scope.defer(() => built.app.close());
    scope.defer(() => rm(join(dataDir, SERVER_INFO_FILE), { force: true }));
    stopAccepting = () => built.stopAccepting();
    built.app.server.headersTimeout = 15_000;

    const demoIds = new Set(demo?.miners.map((m) => m.id));
    for (const stored of (await store?.listMiners()) ?? []) {
      if (demoIds.has(stored.id)) continue; // recreated below with this run's pool address
      await built.directory.restore(stored).catch((error: unknown) => {
        logger.warn(
          { minerId: stored.id, code: isRigkitError(error) ? error.code : undefined },
          'could not restore miner',
        );
      });
    }
    for (const declared of [...config.miners, ...(demo?.miners ?? [])]) {
      if (declared.id && manager.find(declared.id)) continue;
      await built.directory.create({
        kind: declared.kind,
        name: declared.name,
        id: declared.id,
        options: declared.options ?? {},
        autostart: declared.autostart ?? false,
        supervision: declared.supervision,
      });
    }
    await manager.start();
    const address = await built.app.listen({ host, port });
    const url = address.replace('[::1]', '127.0.0.1');
    await writeFile(
      join(dataDir, SERVER_INFO_FILE),
      `${JSON.stringify({ url, pid: process.pid, startedAt: Date.now() })}\n`,
      { mode: 0o600 },
    );
    const running: RunningServer = { url, token, dataDir, manager, close };
    if (options.handleSignals !== false) {
      const handler = closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
        if (err) logger.error({ err }, 'shutting down after an error');
        else logger.info({ signal }, 'shutting down');
        await close();
      });
      uninstallSignals = () => handler.uninstall();
    }
    await options.onListening?.(running);
    // Stratum proxies start first: miners configured to mine through one find it listening
    // (they would retry their pool anyway, but start without a failed first connection).
    const autostart = built.directory.autostartIds().map((id) => manager.get(id));
    const isProxy = (miner: (typeof autostart)[number]) => miner.kind === PROXY_KIND;
    await Promise.allSettled(autostart.filter(isProxy).map((miner) => miner.start()));
    await Promise.allSettled(
      autostart.filter((miner) => !isProxy(miner)).map((miner) => miner.start()),
    );
    logger.info({ url }, 'rigkit server listening');
    return running;
  } catch (error) {
    await close();
    throw error;
  }
}
