import { runSimulatorMain } from '../shared/simulator-main.js';
import { parseCliOptions } from './cli-options.js';
import { XmrigSimulator } from './xmrig-simulator.js';
import { usageText, versionText } from './xmrig-usage.js';

/**
 * `rigkit-sim-xmrig`: parses the command line like xmrig, then runs the simulator until a
 * signal (or a fault) ends it. `--help` and `--version` print and exit 0; a bad command line
 * prints getopt's message on stderr and exits 1.
 */
export function main(argv: readonly string[]): Promise<void> {
  return runSimulatorMain(argv, {
    parse: parseCliOptions,
    handle(parsed) {
      if (parsed.kind === 'help') return usageText();
      if (parsed.kind === 'version') return versionText();
      for (const warning of parsed.warnings) process.stderr.write(`${warning}\n`);
      const simulator = new XmrigSimulator(parsed.options, {
        stdout: process.stdout,
        stderr: process.stderr,
        stdin: process.stdin,
        exit: (code) => process.exit(code),
      });
      return {
        start: () => simulator.start(parsed.configErrors),
        stop: (signal) => simulator.stop(signal),
      };
    },
  });
}
