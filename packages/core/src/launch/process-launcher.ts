import { isRigkitError } from '../errors/rigkit-error.js';
import type { Logger } from '../logger.js';
import { spawnChild } from '../process/child-process.js';
import { PidfileStore } from '../process/pidfile.js';
import { reapOrphans } from '../process/reap-orphans.js';
import type { Launcher } from './launcher.js';

/** Options for {@link createProcessLauncher}. */
export interface ProcessLauncherOptions {
  /** Where pidfiles of live children are kept (private to one manager). */
  pidDir: string;
  maxLineLength?: number | undefined;
  /** Grace given to orphans of a crashed manager before SIGKILL. Default 3000 ms. */
  orphanGraceMs?: number;
  now?: () => number;
}

/**
 * The default {@link Launcher}: real child processes (execa, argument arrays, own process
 * group, bounded lines) recorded in pidfiles so the next manager can reap orphans.
 */
export function createProcessLauncher(options: ProcessLauncherOptions): Launcher {
  let store: PidfileStore | undefined;
  const pidfiles = (logger: Logger) => {
    store ??= new PidfileStore(options.pidDir, { logger });
    return store;
  };
  return {
    async launch(spec, io) {
      const child = await spawnChild(spec, {
        logger: io.logger,
        ...(options.maxLineLength === undefined ? {} : { maxLineLength: options.maxLineLength }),
        onLine: (line) => io.onLine(line.stream, line.text, line.truncated),
        pidfiles: { store: pidfiles(io.logger), minerId: io.minerId },
      });
      return {
        pid: child.pid,
        exited: child.exited,
        write(data) {
          try {
            child.write(data);
            return true;
          } catch (error) {
            if (isRigkitError(error)) return false;
            throw error;
          }
        },
        stop: (stopOptions) => child.stop(stopOptions),
      };
    },
    async reapOrphans(logger) {
      const results = await reapOrphans(pidfiles(logger), {
        logger,
        graceMs: options.orphanGraceMs ?? 3000,
      });
      for (const result of results) {
        if (result.action !== 'gone')
          logger.warn({ ...result }, 'handled a process left by a previous manager');
      }
    },
  };
}
