import { CliUsageError, parseCliOptions } from './cli-options.js';
import { type StopSignal, XmrigSimulator } from './xmrig-simulator.js';
import { usageText, versionText } from './xmrig-usage.js';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * `rigkit-sim-xmrig`: parses the command line like xmrig, then runs the simulator until a
 * signal (or a fault) ends it. `--help` and `--version` print and exit 0; a bad command line
 * prints getopt's message on stderr and exits 1.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // A manager that died closes our pipes: a miner keeps mining, it does not die of EPIPE.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  let parsed: ReturnType<typeof parseCliOptions>;
  try {
    parsed = parseCliOptions(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (parsed.kind === 'help') {
    process.stdout.write(usageText());
    process.exit(0);
  }
  if (parsed.kind === 'version') {
    process.stdout.write(versionText());
    process.exit(0);
  }
  for (const warning of parsed.warnings) process.stderr.write(`${warning}\n`);

  const simulator = new XmrigSimulator(parsed.options, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    exit: (code) => process.exit(code),
  });
  for (const signal of STOP_SIGNALS) process.on(signal, () => simulator.stop(signal));
  await simulator.start(parsed.configErrors);
}
