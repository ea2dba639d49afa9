import { CliUsageError, parseCliOptions } from './cli-options.js';
import { type StopSignal, TtminerSimulator } from './ttminer-simulator.js';
import { deviceListText, usageText, versionText } from './ttminer-usage.js';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * `rigkit-sim-ttminer`: parses TT-Miner's command line, then runs the simulator until a signal
 * (or a fault) ends it. `-v`, `-l` and `-h` print and exit 0; a bad command line prints a
 * message on stderr and exits 1.
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
  if (parsed.kind === 'list') {
    process.stdout.write(deviceListText(parsed.options.gpus));
    process.exit(0);
  }

  const simulator = new TtminerSimulator(parsed.options, {
    stdout: process.stdout,
    stderr: process.stderr,
    exit: (code) => process.exit(code),
  });
  for (const signal of STOP_SIGNALS) process.on(signal, () => simulator.stop(signal));
  await simulator.start();
}
