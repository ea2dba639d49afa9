import type { Logger } from '@rigkit/core';
import type { CommandContext } from '../context.js';
import { CliError, usageError } from '../exit-codes.js';
import {
  type ProxyFlags,
  proxyOptionsFromFlags,
  readProxyConfigFile,
  resolvePoolPass,
} from '../proxy/proxy-flags.js';
import { eventLine, startupLine, statsLine } from '../proxy/proxy-report.js';

/** What commander hands to {@link proxy}. */
export interface ProxyCommandOptions extends ProxyFlags {
  /** `--pass` as typed; {@link resolvePoolPass} decides which password is used. */
  pass?: string | undefined;
  passFile?: string | undefined;
  config?: string | undefined;
  /** Seconds between stats lines; 0 prints none. */
  statsInterval: number;
}

/**
 * `rigkit proxy`: runs the stratum proxy in this process — no server, no storage — until
 * SIGINT/SIGTERM, then stops it gracefully (every miner and pool connection closed) and
 * returns (exit 0). Prints one startup line and periodic stats on stdout; `proxy.*` events
 * and the proxy's warnings on stderr.
 */
export async function proxy(ctx: CommandContext, opts: ProxyCommandOptions): Promise<void> {
  const file = opts.config === undefined ? {} : await readProxyConfigFile(opts.config);
  const { pass, source } = await resolvePoolPass(opts, ctx.env);
  if (source === 'flag') {
    ctx.note(
      'warning: --pass is visible to other users in the process list; prefer --pass-file or $RIGKIT_POOL_PASS',
    );
  }
  const input = proxyOptionsFromFlags({ ...opts, pass }, file);
  if (input.options.protocol === undefined) {
    throw usageError(
      'missing --protocol <cryptonote|stratum-v1> (or "protocol" in the --config file)',
    );
  }
  if (input.options.pools === undefined) {
    throw usageError('missing --pool <url> (or "pools" in the --config file)');
  }

  // Loaded only here: other commands never pay for the proxy.
  const { parseProxyOptions, StratumProxy } = await import('@rigkit/adapter-stratum-proxy');
  let options: ReturnType<typeof parseProxyOptions>;
  try {
    options = parseProxyOptions(input.options as Parameters<typeof parseProxyOptions>[0]);
  } catch (error) {
    const issues = (error as { issues?: ReadonlyArray<{ path: string; message: string }> }).issues;
    if (!issues) throw error;
    const from = opts.config === undefined ? 'flags' : opts.config;
    const list = issues.map((issue) => {
      const flag = input.flagFor(issue.path);
      return `${issue.path || '(root)'}${flag ? ` (${flag})` : ''}: ${issue.message}`;
    });
    throw new CliError('E_CONFIG_INVALID', `invalid proxy options (${from}): ${list.join('; ')}`);
  }

  const signal = ctx.io.interrupt?.() ?? new AbortController().signal;
  if (signal.aborted) return;
  const err = (line: string) => ctx.io.stderr(`${line}\n`);
  const instance = new StratumProxy(options, {
    logger: stderrLogger(err, ctx.json),
    emit: (type, payload) => err(eventLine(type, payload, ctx.json, ctx.io.now())),
  });
  await instance.start(signal);
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  ctx.out(startupLine(options, instance.stats(), ctx.json));
  const timer =
    opts.statsInterval > 0
      ? setInterval(
          () => ctx.out(statsLine(instance.stats(), ctx.json, ctx.io.now())),
          opts.statsInterval * 1000,
        )
      : undefined;
  try {
    await stopped;
  } finally {
    clearInterval(timer);
    await instance.stop();
  }
  ctx.out(statsLine(instance.stats(), ctx.json, ctx.io.now()));
  ctx.progress('stratum proxy stopped');
}

/**
 * The proxy's own warnings and errors as stderr lines (`rigkit proxy: warn pool connection
 * failed pool=… reason=…`); info and debug are left out. The proxy never logs secrets.
 */
function stderrLogger(write: (line: string) => void, json: boolean): Logger {
  const line = (level: 'warn' | 'error') => (obj: object | string, msg?: string) => {
    const fields: Record<string, unknown> = typeof obj === 'string' ? {} : { ...obj };
    const message = typeof obj === 'string' ? obj : (msg ?? '');
    if (fields.err instanceof Error) fields.err = fields.err.message;
    if (json) {
      write(JSON.stringify({ type: 'log', level, time: Date.now(), msg: message, ...fields }));
      return;
    }
    const rest = Object.entries(fields)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    write(`rigkit proxy: ${level} ${message}${rest ? ` ${rest}` : ''}`);
  };
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: line('warn'),
    error: line('error'),
    child: () => logger,
  };
  return logger;
}
