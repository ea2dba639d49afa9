import type { StartServerOptions } from '@rigkit/server';
import type { CommandContext } from '../context.js';
import { isPidAlive, readServerInfo } from '../discovery.js';
import { CliError } from '../exit-codes.js';

export interface ServeOptions {
  config?: string;
  demo?: boolean;
  host?: string;
  port?: number;
  logLevel?: string;
}

/**
 * `rigkit serve`: runs the server in this process until SIGINT/SIGTERM (the server's own
 * graceful shutdown handles them). Prints the URL and token on stdout once it listens, and
 * how to use it on stderr. Returns as soon as the server listens; the open server keeps the
 * process alive.
 */
export async function serve(ctx: CommandContext, opts: ServeOptions): Promise<void> {
  const explicitDataDir = ctx.globals.dataDir ?? ctx.env.RIGKIT_DATA_DIR;
  // A config file may name another data dir; the check covers the common case.
  if (explicitDataDir !== undefined || opts.config === undefined) {
    const running = await readServerInfo(ctx.dataDir).catch(() => undefined);
    if (running && running.pid !== process.pid && isPidAlive(running.pid)) {
      throw new CliError(
        'E_SERVER_RUNNING',
        `a Rigkit server already runs for data dir ${ctx.dataDir} (pid ${running.pid}, ${running.url})`,
      );
    }
  }
  ctx.progress(opts.demo ? 'starting the server with demo miners' : 'starting the server');
  const { startServer } = await import('@rigkit/server');
  const options: StartServerOptions & { demo?: boolean } = {
    ...(opts.config === undefined ? {} : { configFile: opts.config }),
    ...(explicitDataDir === undefined ? {} : { dataDir: ctx.dataDir }),
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.port === undefined ? {} : { port: opts.port }),
    ...(opts.logLevel === undefined ? {} : { logLevel: opts.logLevel }),
    ...(opts.demo ? { demo: true } : {}),
  };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(
        'E_PORT_IN_USE',
        `cannot listen: ${(error as Error).message}; pick another port with --port`,
        { cause: error },
      );
    }
    throw error;
  }
  if (ctx.json) {
    ctx.printJson({ url: server.url, token: server.token, dataDir: server.dataDir });
  } else {
    ctx.io.stdout(
      `url:      ${server.url}\ntoken:    ${server.token}\ndata dir: ${server.dataDir}\n`,
    );
  }
  const dataDirFlag = explicitDataDir === undefined ? '' : ` --data-dir ${server.dataDir}`;
  ctx.note(
    // `npx` finds the workspace's bin after `npm ci`; a global install needs no prefix.
    `ready. In another terminal (same folder) try:\n  npx rigkit${dataDirFlag} ls\n  npx rigkit${dataDirFlag} stop <id>\nMetrics: ${server.url}/metrics  API docs: ${server.url}/api/v1/docs\nPress Ctrl-C to stop.`,
  );
}
