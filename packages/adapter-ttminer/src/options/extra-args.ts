/** How an allowed extra argument takes its value. */
export type ExtraArgRule =
  | { readonly kind: 'flag' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number };

const flag: ExtraArgRule = { kind: 'flag' };
const int = (min: number, max: number): ExtraArgRule => ({ kind: 'int', min, max });

/**
 * The TT-Miner flags `extraArgs` may carry: display tuning only, on purpose a short list.
 * Everything else is refused — the adapter owns the algorithm, pools, devices, intensity and
 * the API (`-b`, `--api-password`), and flags that write log files (`-log`, `-logfile`,
 * `-logpool`, which records pool traffic including logins) or that we cannot vouch for across
 * TT-Miner versions are left out. Flags are matched exactly (TT-Miner's spelling, one dash).
 */
export const EXTRA_ARG_RULES: Readonly<Record<string, ExtraArgRule>> = Object.freeze({
  /** Print the statistics every N seconds. */
  '-PRT': int(0, 3600),
  /** No colour codes (the adapter passes it anyway; allowed so copied command lines work). */
  '-nocolor': flag,
});

/** One problem in `extraArgs`, located by the index of the offending element. */
export interface ExtraArgIssue {
  index: number;
  message: string;
}

const FLAG_NAME = /^--?[A-Za-z][A-Za-z0-9-]{0,63}$/;

/**
 * Checks `args` against {@link EXTRA_ARG_RULES}. A flag that takes a value is followed by its
 * value as the next element (`['-PRT', '10']`), as TT-Miner reads it. Returns every problem.
 * Values are never quoted in messages: a misplaced `-p <password>` must not reach a log.
 */
export function checkExtraArgs(args: readonly string[]): ExtraArgIssue[] {
  const issues: ExtraArgIssue[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!FLAG_NAME.test(name)) {
      issues.push({ index: i, message: 'expected a flag such as "-PRT"' });
      continue;
    }
    const rule = Object.hasOwn(EXTRA_ARG_RULES, name) ? EXTRA_ARG_RULES[name] : undefined;
    if (!rule) {
      issues.push({
        index: i,
        message: `${JSON.stringify(name)} is not an allowed extra argument (see EXTRA_ARG_RULES)`,
      });
      continue;
    }
    if (eq !== -1) {
      issues.push({
        index: i,
        message:
          rule.kind === 'flag'
            ? `${name} takes no value`
            : `write ${name} and its value as two elements`,
      });
      continue;
    }
    if (rule.kind === 'flag') continue;
    const valueIndex = i + 1;
    const value = args[valueIndex];
    i += 1; // the next element is this flag's value, not a flag
    if (value === undefined) {
      issues.push({ index: i - 1, message: `${name} needs a value` });
      continue;
    }
    if (!/^\d{1,6}$/.test(value)) {
      issues.push({ index: valueIndex, message: `${name}: expected an integer` });
    } else if (Number(value) < rule.min || Number(value) > rule.max) {
      issues.push({
        index: valueIndex,
        message: `${name}: must be between ${rule.min} and ${rule.max}`,
      });
    }
  }
  return issues;
}
