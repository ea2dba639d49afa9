import { runSimulatorMain } from '../shared/simulator-main.js';
import { parseCliOptions } from './cli-options.js';
import { TtminerSimulator } from './ttminer-simulator.js';
import { deviceListText, usageText, versionText } from './ttminer-usage.js';

/**
 * `rigkit-sim-ttminer`: parses TT-Miner's command line, then runs the simulator until a signal
 * (or a fault) ends it. `-v`, `-l` and `-h` print and exit 0; a bad command line prints a
 * message on stderr and exits 1.
 */
export function main(argv: readonly string[]): Promise<void> {
  return runSimulatorMain(argv, {
    parse: parseCliOptions,
    handle(parsed) {
      if (parsed.kind === 'help') return usageText();
      if (parsed.kind === 'version') return versionText();
      if (parsed.kind === 'list') return deviceListText(parsed.options.gpus);
      const simulator = new TtminerSimulator(parsed.options, {
        stdout: process.stdout,
        stderr: process.stderr,
        exit: (code) => process.exit(code),
      });
      return { start: () => simulator.start(), stop: (signal) => simulator.stop(signal) };
    },
  });
}
