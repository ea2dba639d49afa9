/** Signals that end a simulator (SIGTERM is ignored with `--sim-ignore-sigterm`). */
export type StopSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** A command line a simulator refuses: `message` goes to stderr, the exit code is 1. */
export class CliUsageError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** A simulator as its bin drives it. */
export interface RunnableSimulator {
  start(): Promise<void>;
  stop(signal: StopSignal): void;
}

/** What differs between the simulators' bins. */
export interface SimulatorMainSteps<Parsed> {
  /** Parses the command line; throws {@link CliUsageError} for one the program would refuse. */
  parse(argv: readonly string[]): Parsed;
  /**
   * Text that answers the command line by itself (help, version, a device list: printed, exit
   * 0), or the simulator to run.
   */
  handle(parsed: Parsed): string | RunnableSimulator;
}

/**
 * The bin of a miner simulator: parse, answer `--help`-like command lines and exit 0, refuse a
 * bad command line on stderr with its exit code, otherwise run until a signal (or a fault) ends
 * it.
 */
export async function runSimulatorMain<Parsed>(
  argv: readonly string[],
  steps: SimulatorMainSteps<Parsed>,
): Promise<void> {
  // A manager that died closes our pipes: a miner keeps mining, it does not die of EPIPE.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  let parsed: Parsed;
  try {
    parsed = steps.parse(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  const simulator = steps.handle(parsed);
  if (typeof simulator === 'string') {
    process.stdout.write(simulator);
    process.exit(0);
  }
  for (const signal of STOP_SIGNALS) process.on(signal, () => simulator.stop(signal));
  await simulator.start();
}
