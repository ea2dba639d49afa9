/**
 * ANSI colour sequences under the names xmrig's `Log.h` uses, so that messages can be written
 * like the C++ source (`ansi.greenBold('accepted')`). The simulators print everything with
 * colour and strip it with {@link stripAnsi} under `--no-color` / `-nocolor`, so the plain
 * text is always exactly the coloured text minus the escapes.
 */
const CSI = '\x1b[';
const CLEAR = `${CSI}0m`;

const wrap = (code: string) => (text: string) => `${CSI}${code}m${text}${CLEAR}`;

export const ansi = Object.freeze({
  clear: CLEAR,
  black: wrap('0;30'),
  blackBold: wrap('1;30'),
  red: wrap('0;31'),
  redBold: wrap('1;31'),
  green: wrap('0;32'),
  greenBold: wrap('1;32'),
  yellow: wrap('0;33'),
  yellowBold: wrap('1;33'),
  blue: wrap('0;34'),
  blueBold: wrap('1;34'),
  magenta: wrap('0;35'),
  magentaBold: wrap('1;35'),
  cyan: wrap('0;36'),
  cyanBold: wrap('1;36'),
  white: wrap('0;37'),
  whiteBold: wrap('1;37'),
  /** A tag: white bold text on a coloured background (`BLUE_BG_BOLD(WHITE_BOLD_S " net ")`). */
  tag: (background: string, text: string) => `${CSI}${background}m${CSI}1;37m${text}${CLEAR}`,
});

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI_SEQUENCE = /\x1b\[[0-9;]*m/g;

/** `text` without SGR colour sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}
