import type { CreateMinerBody } from '@rigkit/client';
import type { CommandContext } from '../context.js';
import { usageError } from '../exit-codes.js';
import { paintState } from '../output/miner-view.js';

export interface AddOptions {
  name: string;
  id?: string;
  option?: string[];
  optionsJson?: string;
  autostart?: boolean;
}

/**
 * The value of `--option key=value`: JSON when it parses (numbers, booleans, arrays, objects,
 * quoted strings), the raw text otherwise.
 */
function optionValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Builds the miner options from `--options-json` and `--option key=value` flags (applied in
 * order, later ones win). Dotted keys nest: `pool.url=…` sets `{ pool: { url: … } }`.
 */
export function buildOptions(
  optionsJson: string | undefined,
  pairs: readonly string[],
): Record<string, unknown> {
  let options: Record<string, unknown> = {};
  if (optionsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(optionsJson);
    } catch (error) {
      throw usageError(`--options-json is not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw usageError('--options-json must be a JSON object');
    }
    options = parsed as Record<string, unknown>;
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--option expects key=value, got "${pair}"`);
    const path = pair.slice(0, eq).split('.');
    if (path.some((key) => key === '' || FORBIDDEN_KEYS.has(key))) {
      throw usageError(`--option has an invalid key "${pair.slice(0, eq)}"`);
    }
    let node = options;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1) as string] = optionValue(pair.slice(eq + 1));
  }
  return options;
}

/** `rigkit add <kind> --name <name> …`: creates a miner and prints its id. */
export async function add(ctx: CommandContext, kind: string, opts: AddOptions): Promise<void> {
  const body: CreateMinerBody = {
    kind,
    name: opts.name,
    options: buildOptions(opts.optionsJson, opts.option ?? []),
    autostart: opts.autostart === true,
    ...(opts.id === undefined ? {} : { id: opts.id }),
  };
  const client = await ctx.client();
  const miner = await client.createMiner(body);
  if (ctx.json) {
    ctx.printJson(miner);
    return;
  }
  ctx.out(`${miner.id}  ${paintState(miner.state, ctx.color)}`);
  if (!body.autostart)
    ctx.progress(`added ${miner.id}; start it with \`rigkit start ${miner.id}\``);
  else ctx.progress(`added ${miner.id}; it is starting (watch with \`rigkit status ${miner.id}\`)`);
}
