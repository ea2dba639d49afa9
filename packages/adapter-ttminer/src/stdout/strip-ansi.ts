// CSI sequences (colours, cursor moves): ESC [ parameters intermediates final-byte.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point.
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]/g;

/** Removes ANSI escape sequences: TT-Miner colours its output unless `-nocolor` is given. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(CSI, '') : text;
}
