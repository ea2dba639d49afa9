#!/usr/bin/env node
// Where a .cpuprofile (V8 sampling profile, from --cpu-prof or the inspector) spends its time:
// self time summed by function (name + file:line), largest first, and the same summed by file.
// Usage: node bench/src/stratum-load/summarize-cpuprofile.mjs <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: summarize-cpuprofile.mjs <file.cpuprofile> [--top 25]\n');
  process.exit(2);
}
const top = Number(values.top);

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number },
 *   children?: number[] }} ProfileNode
 * @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number,
 *   endTime: number }}
 */
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time of a node = the sum of the time deltas of the samples that landed in it.
/** @type {Map<number, number>} */
const selfUs = new Map();
profile.samples.forEach((nodeId, i) => {
  selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0));
});

/** @type {Map<string, number>} */
const byFunction = new Map();
/** @type {Map<string, number>} */
const byFile = new Map();
let totalUs = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  totalUs += us;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '(native)';
  const fn = `${functionName || '(anonymous)'} ${where}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const fileKey = url ? shortUrl(url) : functionName.startsWith('(') ? functionName : '(native)';
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + us);
}

/** @param {string} url */
function shortUrl(url) {
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('node_modules/');
  if (nm !== -1) return clean.slice(nm + 'node_modules/'.length);
  const packages = clean.indexOf('/packages/');
  return packages !== -1 ? clean.slice(packages + 1) : clean;
}

/** @type {string[]} */
const out = [];

/** @param {Map<string, number>} map @param {string} title */
function print(map, title) {
  out.push('', title);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, us] of rows) {
    const pct = ((100 * us) / totalUs).toFixed(1).padStart(5);
    const ms = (us / 1000).toFixed(0).padStart(7);
    out.push(`${pct} % ${ms} ms  ${name}`);
  }
}

const wallMs = (profile.endTime - profile.startTime) / 1000;
out.push(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled over ${wallMs.toFixed(0)} ms wall`);
print(byFunction, 'self time by function');
print(byFile, 'self time by file');
// One write, and a closed pipe (`| head`) is not an error.
process.stdout.on('error', () => {});
process.stdout.write(`${out.join('\n')}\n`);
