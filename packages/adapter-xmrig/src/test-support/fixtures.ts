import { readdirSync, readFileSync } from 'node:fs';

const DIR = new URL('../__fixtures__/xmrig/', import.meta.url);

/** The text of one fixture captured from a real xmrig 6.26.0. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

/** One JSON fixture, parsed like `fetch().json()` would (UINT64_MAX rounded). */
export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** Names of every fixture file. */
export function fixtureNames(): string[] {
  return readdirSync(DIR).sort();
}
