/** How an allowed extra argument takes its value. */
export type ExtraArgRule =
  | { readonly kind: 'flag' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'mask' };

const flag: ExtraArgRule = { kind: 'flag' };
const int = (min: number, max: number): ExtraArgRule => ({ kind: 'int', min, max });
const oneOf = (...values: string[]): ExtraArgRule => ({ kind: 'enum', values });

/**
 * The xmrig flags `extraArgs` may carry. Tuning knobs only: anything that touches the HTTP
 * API, the config file, pools, logging to files or daemonising is left out, because the adapter
 * owns those (and some would expose secrets or break supervision).
 */
export const EXTRA_ARG_RULES: Readonly<Record<string, ExtraArgRule>> = Object.freeze({
  '--randomx-mode': oneOf('auto', 'fast', 'light'),
  '--randomx-1gb-pages': flag,
  '--randomx-init': int(-1, 1024),
  '--randomx-no-numa': flag,
  '--randomx-no-rdmsr': flag,
  '--randomx-wrmsr': int(-1, 15),
  '--randomx-cache-qos': flag,
  '--asm': oneOf('none', 'auto', 'intel', 'ryzen', 'bulldozer'),
  '--argon2-impl': oneOf('x86_64', 'SSE2', 'SSSE3', 'XOP', 'AVX2', 'AVX-512F'),
  '--av': int(0, 20),
  '--cpu-affinity': { kind: 'mask' },
  '--cpu-memory-pool': int(-1, 65_536),
  '--cpu-no-yield': flag,
  '--huge-pages-jit': flag,
  '--print-time': int(1, 3600),
  '--health-print-time': int(1, 3600),
  '--no-color': flag,
  '--verbose': flag,
  '--retries': int(0, 1000),
  '--retry-pause': int(1, 3600),
  '--dns-ipv6': flag,
  '--dns-ttl': int(1, 86_400),
  '--pause-on-battery': flag,
  '--pause-on-active': int(1, 86_400),
  '--bench': oneOf('250K', '500K', '1M', '2M', '3M', '4M', '5M', '6M', '7M', '8M', '9M', '10M'),
});

/** One problem in `extraArgs`, located by the index of the offending element. */
export interface ExtraArgIssue {
  index: number;
  message: string;
}

/**
 * Checks `args` against {@link EXTRA_ARG_RULES}. A flag that takes a value may be written as
 * `--flag=value` or as two elements `['--flag', 'value']`. Returns every problem found.
 */
export function checkExtraArgs(args: readonly string[]): ExtraArgIssue[] {
  const issues: ExtraArgIssue[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    // Values are never echoed: a misplaced `-p <password>` must not land in an error message.
    if (!/^--[a-z0-9][a-z0-9-]*$/.test(name)) {
      issues.push({ index: i, message: 'expected "--flag" or "--flag=value"' });
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
    if (rule.kind === 'flag') {
      if (eq !== -1) issues.push({ index: i, message: `${name} takes no value` });
      continue;
    }
    let value: string | undefined;
    let valueIndex = i;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      valueIndex = i + 1;
      value = args[valueIndex];
      i += 1; // the next element is this flag's value, not a flag
    }
    if (value === undefined) {
      issues.push({ index: i - 1, message: `${name} needs a value` });
      continue;
    }
    const problem = checkValue(rule, value);
    if (problem) issues.push({ index: valueIndex, message: `${name}: ${problem}` });
  }
  return issues;
}

function checkValue(rule: ExtraArgRule, value: string): string | undefined {
  switch (rule.kind) {
    case 'int': {
      if (!/^-?\d{1,6}$/.test(value)) return 'expected an integer';
      const n = Number(value);
      return n < rule.min || n > rule.max
        ? `must be between ${rule.min} and ${rule.max}`
        : undefined;
    }
    case 'enum':
      return rule.values.includes(value) ? undefined : `must be one of ${rule.values.join(', ')}`;
    case 'mask':
      return /^(?:0x[0-9A-Fa-f]{1,32}|\d{1,20})$/.test(value)
        ? undefined
        : 'expected a CPU mask such as 0x3';
    default:
      return undefined;
  }
}
