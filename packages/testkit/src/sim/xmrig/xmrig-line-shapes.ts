import { stripAnsi } from '../shared/ansi.js';

/** A kind of line xmrig prints, and a pattern that matches exactly those lines (colours removed). */
export interface XmrigLineShape {
  name: string;
  pattern: RegExp;
}

const TS = String.raw`\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\]`;
const ADDR = String.raw`\S+:\d+`;
const RATE = String.raw`(?:\d+\.\d+|n\/a)`;

/** `[timestamp]  tag      message`: the tag padded to 8 between single spaces. */
const tagged = (tag: string, name: string, message: string): XmrigLineShape => ({
  name: `${tag} ${name}`,
  pattern: new RegExp(`^${TS}  ${tag.padEnd(8)} ${message}$`),
});

/** A banner line: ` * LABEL` padded to 13, then the value. */
const banner = (label: string, value: string): XmrigLineShape => ({
  name: `banner ${label}`,
  pattern: new RegExp(`^ \\* ${label.padEnd(13)}${value}$`),
});

/**
 * Every line shape xmrig 6.26 prints that the simulator prints too, written to match the
 * captured fixtures (`shared/fixtures/xmrig/stdout*.txt`) — the simulator's tests check both
 * directions: every fixture line and every simulator line has a shape here.
 */
export const XMRIG_LINE_SHAPES: readonly XmrigLineShape[] = Object.freeze([
  banner('ABOUT', String.raw`XMRig\/\d+\.\d+\.\d+ gcc\/\S+ \(built for [^)]+\)`),
  banner('LIBS', String.raw`libuv\/\S+ OpenSSL\/\S+ hwloc\/\S+`),
  banner('HUGE PAGES', '(?:supported|disabled|permission denied)'),
  banner('1GB PAGES', '(?:supported|disabled|unavailable)'),
  banner('CPU', String.raw`.+ \(\d+\) 64-bit(?: AES)?(?: VM)?`),
  { name: 'banner CPU cache', pattern: /^ {16}L2:\d+\.\d MB L3:\d+\.\d MB \d+C\/\d+T NUMA:\d+$/ },
  banner('MEMORY', String.raw`\d+\.\d\/\d+\.\d GB \(\d+%\)`),
  banner('DONATE', String.raw`\d+%`),
  banner('ASSEMBLY', String.raw`\S+:\S+`),
  {
    name: 'banner POOL',
    pattern: new RegExp(String.raw`^ \* POOL #\d+ +(?:benchmark|${ADDR}) (?:algo|coin) \S+$`),
  },
  banner(
    'COMMANDS',
    "(?:'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection|hashrate, pause, resume, results, connection)",
  ),
  banner('HTTP API', `${ADDR} `),

  tagged('net', 'use pool', String.raw`use (?:pool|daemon) ${ADDR} (?:TLS\S+)? \S+`),
  tagged('net', 'fingerprint', String.raw`fingerprint \(SHA-256\): "[0-9a-f]+"`),
  tagged('net', 'new job', String.raw`new job from ${ADDR} diff \d+ algo \S+(?: height \d+)?`),
  tagged('net', 'pool error', String.raw`${ADDR} error: ".*", code: -?\d+`),
  tagged('net', 'socket error', `${ADDR} (?:connect|read|write|DNS|TLS|job) error: ".*"`),
  tagged('net', 'JSON decode failed', `${ADDR} JSON decode failed: ".*"`),
  tagged('net', 'no active pools', 'no active pools, stop mining'),
  tagged('net', 'no results', 'no results yet'),
  tagged(
    'net',
    'results',
    String.raw`results accepted \d+\/\d+ \(\d+\.\d{2}%\) avg result time \d+\.\d s hashes total \d+`,
  ),
  tagged('net', 'best results', String.raw`best results(?: \d+){10}`),
  tagged('net', 'no connection', 'no active connection'),
  tagged(
    'net',
    'connection',
    String.raw`pool \S+ ip \S+ (?:tls \S+ )?uptime \d+ s ping \d+ ms failures \d+ algo \S+ diff \d+`,
  ),

  tagged('cpu', 'argon2', String.raw`use argon2 implementation \S+`),
  tagged('cpu', 'profile', String.raw`use profile  \S+  \(\d+ threads?\) scratchpad \d+ KB`),
  tagged(
    'cpu',
    'READY',
    String.raw`READY threads \d+\/\d+ \(\d+\) huge pages \d+% \d+\/\d+ memory \d+ KB \(\d+ ms\)`,
  ),
  tagged('cpu', 'accepted', String.raw`accepted \(\d+\/\d+\) diff \d+ \(\d+ ms\)`),
  tagged('cpu', 'rejected', String.raw`rejected \(\d+\/\d+\) diff \d+ ".*" \(\d+ ms\)`),
  tagged('cpu', 'stopped', String.raw`stopped \(\d+ ms\)`),

  tagged('msr', 'no module', 'msr kernel module is not available'),
  tagged('msr', 'failed', 'FAILED TO APPLY MSR MOD, HASHRATE WILL BE LOW'),

  tagged(
    'randomx',
    'init',
    String.raw`init dataset algo \S+ \(\d+ threads\) seed [0-9a-f]{16}\.\.\.`,
  ),
  tagged('randomx', 'light', 'fast RandomX mode disabled by config'),
  tagged(
    'randomx',
    'slow mode',
    String.raw`failed to allocate RandomX dataset, switching to slow mode \(\d+ ms\)`,
  ),
  tagged(
    'randomx',
    'allocated',
    String.raw`allocated \d+ MB \(\d+\+\d+\) huge pages \d+% \d+\/\d+ \+JIT \(\d+ ms\)`,
  ),
  tagged('randomx', 'ready', String.raw`dataset ready \(\d+ ms\)`),

  tagged('miner', 'speed', `speed 10s/60s/15m ${RATE} ${RATE} ${RATE} M?H/s max ${RATE} M?H/s`),
  tagged('miner', 'paused', 'paused, press  r  to resume'),
  tagged('miner', 'resumed', 'resumed'),

  tagged('bench', 'start', String.raw`start benchmark hashes \S+ algo \S+`),
  tagged('bench', 'progress', String.raw` ?\d{1,3}\.\d{2}% \d+\/\d+ \(\d+\.\d{3}s\)`),
  tagged(
    'bench',
    'finished',
    String.raw`benchmark finished in \d+\.\d{3} seconds hash sum = [0-9A-F]{16}`,
  ),
  tagged('bench', 'press Ctrl+C', String.raw`press Ctrl\+C to exit`),

  tagged('signal', 'exiting', 'SIG[A-Z]+ received, exiting'),
  tagged('config', 'unable to open', String.raw`unable to open ".*"\.`),
  tagged('config', 'parse error', String.raw`.*<offset:\d+>: ".*"`),
  tagged('http', 'bind error', `${ADDR} bind error: ".*"`),

  {
    name: 'access log',
    pattern: new RegExp(String.raw`^${TS} \S+ [A-Z]+ \S+ \d{3} \d+ \d+ms ".*"$`),
  },
  {
    name: 'hashrate table header',
    pattern: new RegExp(
      String.raw`^${TS} \|    CPU # \| AFFINITY \| 10s H\/s \| 60s H\/s \| 15m H\/s \|$`,
    ),
  },
  {
    name: 'hashrate table row',
    pattern: new RegExp(String.raw`^${TS} \| +(?:\d+|-) \| +(?:-?\d+|-) \|(?: +${RATE} \|){3}$`),
  },
]);

/** The shape `line` has (colours are removed first), or `undefined` for a line xmrig would not print. */
export function matchXmrigLine(line: string): XmrigLineShape | undefined {
  const plain = stripAnsi(line);
  return XMRIG_LINE_SHAPES.find((shape) => shape.pattern.test(plain));
}
