import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext, GlobalOptions } from './context.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import type { ProgramIO } from './io.js';

export { ExitCode } from './exit-codes.js';
export type { ProgramIO, ServerTarget } from './io.js';

/** The version in this package's manifest (read once, no dependency loaded for it). */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}`);
    }
    return n;
  };
}

function nonNegativeInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from 0 to ${max}`);
    }
    return n;
  };
}

/** `--listen`: `host:port`, `[ipv6]:port`, `:port` or a port number. */
function parseListenFlag(value: string): { host?: string; port: number } {
  const match = /^(?:(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)?:)?(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) {
    throw new InvalidArgumentError('expected host:port, [ipv6]:port, :port or a port number');
  }
  const host = match[1]?.replace(/^\[|\]$/g, '');
  return host === undefined ? { port } : { host, port };
}

const PROXY_HELP = `
The pool password comes from --pass-file or --pass, else $RIGKIT_POOL_PASS (default "x").
A --config file holds the same options as a server's stratum-proxy miner; flags override it.

Examples:
  rigkit proxy --protocol cryptonote --listen 0.0.0.0:3333 \\
    --pool pool.example.org:3333 --pool backup.example.org:3333 --user <wallet>
  RIGKIT_POOL_PASS=<password> rigkit proxy -c proxy.json --json
  xmrig -o <proxy-host>:3333 -u <worker> -p x --nicehash      # point a miner at it

Prints one line when listening, then stats every --stats-interval seconds on stdout
(--json: one JSON object per line); worker and pool events on stderr. Ctrl-C stops it (exit 0).
Exit codes: 2 bad flags, 3 invalid options or config file, 1 cannot listen.`;

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  }
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Builds the `rigkit` command tree. Nothing heavy is imported here: each action imports its
 * command module (and through it `@rigkit/client`, zod, ws or `@rigkit/server`) when it runs,
 * so `rigkit --version` and `--help` stay fast.
 *
 * Actions resolve on success and throw on failure; {@link runCli} maps errors to exit codes.
 */
export function createProgram(io: ProgramIO): Command {
  const program = new Command('rigkit')
    .description('Run and supervise miner processes.')
    .version(packageVersion(), '-V, --version')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(text.replace(/^error: /, 'rigkit: ')),
    })
    .exitOverride()
    .showSuggestionAfterError()
    .option('--data-dir <dir>', 'Rigkit data dir (default: $RIGKIT_DATA_DIR or the OS data dir)')
    .option('--url <url>', 'server URL (default: from <data-dir>/server.json; $RIGKIT_URL)')
    .option('--token <token>', 'API token (default: $RIGKIT_TOKEN or <data-dir>/api-token)')
    .option('--json', 'machine-readable output: one JSON document on stdout')
    .option('-q, --quiet', 'no progress lines on stderr')
    .addHelpText('after', EXIT_CODES_HELP);

  /** Runs a command module's function with a context built from the global options. */
  const run = async (
    command: Command,
    body: (ctx: CommandContext) => Promise<unknown>,
  ): Promise<void> => {
    const { createContext } = await import('./context.js');
    await body(createContext(io, command.optsWithGlobals<GlobalOptions>()));
  };

  program
    .command('serve')
    .description('run the Rigkit server (REST API, event stream, metrics) until Ctrl-C')
    .option('-c, --config <file>', 'config file (default: rigkit.config.{ts,js,mjs,json} here)')
    .option('--demo', 'run with simulated miners')
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .addOption(new Option('--port <port>', 'port to listen on (default 7420)').argParser(port))
    .addOption(
      new Option('--log-level <level>', 'server log level').choices([
        'fatal',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
        'silent',
      ]),
    )
    .action(async (opts, command: Command) => {
      const { serve } = await import('./commands/serve.js');
      await run(command, (ctx) => serve(ctx, opts));
    });

  program
    .command('ls')
    .description('list miners: id, name, kind, state, hashrate, uptime, restarts')
    .action(async (_opts, command: Command) => {
      const { ls } = await import('./commands/ls.js');
      await run(command, (ctx) => ls(ctx));
    });

  program
    .command('status')
    .description('one miner in detail, or the server and a summary of all miners')
    .argument('[id]', 'miner id')
    .action(async (id: string | undefined, _opts, command: Command) => {
      const { status } = await import('./commands/status.js');
      await run(command, (ctx) => status(ctx, id));
    });

  for (const action of ['start', 'stop', 'restart'] as const) {
    program
      .command(action)
      .description(
        {
          start: 'start a miner and wait until it runs',
          stop: 'stop a miner',
          restart: 'restart a miner and wait until it runs',
        }[action],
      )
      .argument('<id>', 'miner id')
      .action(async (id: string, _opts, command: Command) => {
        const { lifecycle } = await import('./commands/lifecycle.js');
        await run(command, (ctx) => lifecycle(ctx, action, id));
      });
  }

  program
    .command('add')
    .description('add a miner')
    .argument('<kind>', 'adapter kind, e.g. xmrig (see `rigkit adapters`)')
    .requiredOption('-n, --name <name>', 'display name')
    .option('--id <id>', 'stable id ([A-Za-z0-9_-], default: generated)')
    .option('-o, --option <key=value>', 'a miner option; repeatable; dotted keys nest', collect)
    .option('--options-json <json>', 'all miner options as one JSON object')
    .option('--autostart', 'start it now and whenever the server starts')
    .action(async (kind: string, opts, command: Command) => {
      const { add } = await import('./commands/add.js');
      await run(command, (ctx) => add(ctx, kind, opts));
    });

  program
    .command('rm')
    .description('remove a miner (stopping it first)')
    .argument('<id>', 'miner id')
    .action(async (id: string, _opts, command: Command) => {
      const { rm } = await import('./commands/rm.js');
      await run(command, (ctx) => rm(ctx, id));
    });

  program
    .command('logs')
    .description("print a miner's recent output; -f follows it until Ctrl-C")
    .argument('<id>', 'miner id')
    .option('-f, --follow', 'keep printing new lines')
    .addOption(
      new Option('-n, --tail <lines>', 'how many recent lines')
        .argParser(positiveInt('--tail', 1000))
        .default(100),
    )
    .addOption(
      new Option('--poll-ms <ms>', 'poll interval while the event stream is down')
        .argParser(positiveInt('--poll-ms', 60_000))
        .default(1000)
        .hideHelp(),
    )
    .action(
      async (
        id: string,
        opts: { follow?: boolean; tail: number; pollMs: number },
        command: Command,
      ) => {
        const { logs } = await import('./commands/logs.js');
        await run(command, (ctx) => logs(ctx, id, opts));
      },
    );

  program
    .command('history')
    .description('hashrate over time as a sparkline with min / avg / max')
    .argument('<id>', 'miner id')
    .addOption(new Option('--since <duration>', 'how far back: 15m, 24h, 7d …').default('24h'))
    .addOption(
      new Option(
        '--max-points <n>',
        'most points (default: terminal width; 500 with --json)',
      ).argParser(positiveInt('--max-points', 5000)),
    )
    .action(async (id: string, opts: { since: string; maxPoints?: number }, command: Command) => {
      const [{ history }, { parseDuration }, { usageError }] = await Promise.all([
        import('./commands/history.js'),
        import('./output/duration.js'),
        import('./exit-codes.js'),
      ]);
      const sinceMs = parseDuration(opts.since);
      if (sinceMs === undefined) {
        throw usageError(`--since: "${opts.since}" is not a duration like 15m, 24h or 7d`);
      }
      await run(command, (ctx) =>
        history(ctx, id, {
          sinceMs,
          ...(opts.maxPoints === undefined ? {} : { maxPoints: opts.maxPoints }),
        }),
      );
    });

  program
    .command('adapters')
    .description('the miner kinds the server can run')
    .action(async (_opts, command: Command) => {
      const { adapters } = await import('./commands/adapters.js');
      await run(command, (ctx) => adapters(ctx));
    });

  program
    .command('doctor')
    .description('check Node.js, data dir, server, database, port and miner binaries')
    .addOption(
      new Option('--port <port>', 'the port `rigkit serve` would use')
        .argParser(port)
        .default(7420),
    )
    .action(async (opts: { port: number }, command: Command) => {
      const { doctor } = await import('./commands/doctor.js');
      await run(command, (ctx) => doctor(ctx, { port: opts.port }));
    });

  program
    .command('token')
    .description('print the API token (from --token, $RIGKIT_TOKEN or the data dir)')
    .action(async (_opts, command: Command) => {
      const { token } = await import('./commands/token.js');
      await run(command, (ctx) => token(ctx));
    });

  program
    .command('sim')
    .description('run a miner simulator in the foreground (e.g. `rigkit sim xmrig -- --help`)')
    .argument('<kind>', 'simulator: xmrig or ttminer')
    .argument('[args...]', 'arguments for the simulator (put them after -- )')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (kind: string, args: string[], _opts, command: Command) => {
      const { sim } = await import('./commands/sim.js');
      await run(command, (ctx) => sim(ctx, kind, args));
    });

  program
    .command('proxy')
    .description('run the stratum proxy standalone (no server, no storage) until Ctrl-C')
    .addOption(
      new Option('--protocol <protocol>', 'what miners and pools speak').choices([
        'cryptonote',
        'stratum-v1',
      ]),
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'many miners per pool connection, or one each (default aggregate)',
      ).choices(['aggregate', 'passthrough']),
    )
    .addOption(
      new Option(
        '--listen <host:port>',
        'where miners connect (default 127.0.0.1, any free port)',
      ).argParser((value) => parseListenFlag(value)),
    )
    .option(
      '--pool <url>',
      'pool host:port or stratum+tcp:// / stratum+ssl:// URL; repeat for failover',
      collect,
    )
    .option('--user <login>', 'pool login (wallet) for every pool')
    .option('--pass-file <file>', 'read the pool password from the first line of this file')
    .option(
      '--pass <password>',
      'pool password (visible in the process list: prefer --pass-file or $RIGKIT_POOL_PASS)',
    )
    .option('-c, --config <file>', 'JSON file with all proxy options (flags override it)')
    .addOption(
      new Option('--max-connections <n>', 'most miner connections (default 10000)').argParser(
        positiveInt('--max-connections'),
      ),
    )
    .addOption(
      new Option(
        '--max-connections-per-ip <n>',
        'most miner connections from one IP (default 1024)',
      ).argParser(positiveInt('--max-connections-per-ip')),
    )
    .addOption(
      new Option(
        '--max-line-bytes <n>',
        'longest stratum line; longer closes the connection (default 16384)',
      ).argParser(positiveInt('--max-line-bytes')),
    )
    .addOption(
      new Option(
        '--max-workers <n>',
        'distinct worker names kept in the stats (default 10000)',
      ).argParser(positiveInt('--max-workers')),
    )
    .addOption(
      new Option(
        '--messages-per-second <n>',
        'per-connection message rate (default 100)',
      ).argParser(positiveInt('--messages-per-second')),
    )
    .addOption(
      new Option('--login-timeout <s>', 'seconds a miner has to log in (default 10)').argParser(
        positiveInt('--login-timeout', 2_147_483),
      ),
    )
    .addOption(
      new Option(
        '--idle-timeout <s>',
        'seconds without a share or keepalive before a miner is dropped (default 600)',
      ).argParser(positiveInt('--idle-timeout', 2_147_483)),
    )
    .addOption(
      new Option('--stats-interval <s>', 'seconds between stats lines; 0 for none')
        .argParser(nonNegativeInt('--stats-interval', 86_400))
        .default(60),
    )
    .addHelpText('after', PROXY_HELP)
    .action(async (opts, command: Command) => {
      const { proxy } = await import('./commands/proxy.js');
      await run(command, (ctx) => proxy(ctx, opts));
    });

  return program;
}
