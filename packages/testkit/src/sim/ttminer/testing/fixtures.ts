import { readFileSync } from 'node:fs';

/** The text of a fixture under `src/sim/ttminer/__fixtures__` (copied from `shared/fixtures`). */
export function readFixture(path: string): string {
  return readFileSync(new URL(`../__fixtures__/${path}`, import.meta.url), 'utf8');
}

/** `shared/fixtures/ttminer/miner_getstat1.json`, parsed. */
export const GETSTAT1_FIXTURE = JSON.parse(readFixture('ttminer/miner_getstat1.json')) as {
  id: number;
  jsonrpc: string;
  result: string[];
};

/** The lines of `shared/fixtures/stratum/stratum-v1-examples.jsonl`, verbatim. */
export const STRATUM_V1_LINES: readonly string[] = readFixture('stratum/stratum-v1-examples.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** The fixture line whose JSON satisfies `predicate` (the first one). */
export function stratumV1Line(predicate: (json: Record<string, unknown>) => boolean): string {
  const line = STRATUM_V1_LINES.find((candidate) => predicate(JSON.parse(candidate)));
  if (line === undefined) throw new Error('no such line in stratum-v1-examples.jsonl');
  return line;
}

/** The fixture's lines by role. */
export const V1 = {
  subscribeRequest: stratumV1Line((m) => m.method === 'mining.subscribe' && m.id === 1),
  subscribeResult: stratumV1Line((m) => m.id === 1 && Array.isArray(m.result)),
  authorizeRequest: stratumV1Line((m) => m.method === 'mining.authorize'),
  authorizeResult: stratumV1Line((m) => m.id === 2 && m.result === true),
  setDifficulty: stratumV1Line((m) => m.method === 'mining.set_difficulty'),
  notify: stratumV1Line((m) => m.method === 'mining.notify'),
  submitRequest: stratumV1Line((m) => m.method === 'mining.submit'),
  submitAccepted: stratumV1Line((m) => m.id === 4 && m.result === true),
  submitRejected: stratumV1Line((m) => m.id === 4 && Array.isArray(m.error)),
  extranonceSubscribeRequest: stratumV1Line((m) => m.method === 'mining.extranonce.subscribe'),
  extranonceSubscribeResult: stratumV1Line((m) => m.id === 3 && m.result === true),
  setExtranonce: stratumV1Line((m) => m.method === 'mining.set_extranonce'),
  reconnect: stratumV1Line((m) => m.method === 'client.reconnect'),
} as const;

/** A fixture line with its `id` replaced (answers must carry the request's id). */
export function withId(line: string, id: unknown): string {
  return JSON.stringify({ ...JSON.parse(line), id });
}
