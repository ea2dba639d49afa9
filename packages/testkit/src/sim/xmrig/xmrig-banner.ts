import { ansi } from '../shared/ansi.js';
import { XMRIG_BUILD_INFO } from './xmrig-build-info.js';

/** What the banner shows that depends on the run. */
export interface BannerInfo {
  hugePages: boolean;
  /** Host memory (the real machine's: plausible, and nobody parses it). */
  memory: { usedBytes: number; totalBytes: number };
  donateLevel: number;
  /** One entry per `POOL #n` line: `127.0.0.1:13333 algo auto`, `benchmark algo auto`. */
  pools: string[];
  /** The bound API address, or `null` without the HTTP API. */
  http: { host: string; port: number } | null;
  /** xmrig prints a different COMMANDS line with and without colours. */
  colors: boolean;
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;

const label = (text: string) => `${ansi.greenBold(' * ')}${ansi.whiteBold(text.padEnd(13))}`;

/**
 * The start-up summary xmrig prints before its first log line (`Summary.cpp`), as in the
 * fixtures: ABOUT, LIBS, HUGE PAGES, 1GB PAGES, CPU (two lines), MEMORY, DONATE, ASSEMBLY,
 * a POOL line per pool, COMMANDS, and HTTP API when the API is on (with its trailing space).
 */
export function bannerLines(info: BannerInfo): string[] {
  const b = XMRIG_BUILD_INFO;
  const cpu = b.cpu;
  const used = info.memory.usedBytes / GB;
  const total = info.memory.totalBytes / GB;
  const percent =
    info.memory.totalBytes > 0
      ? Math.round((info.memory.usedBytes / info.memory.totalBytes) * 100)
      : 0;
  const commands = info.colors
    ? `${ansi.tag('45', 'h')}${ansi.whiteBold('ashrate, ')}${ansi.tag('45', 'p')}${ansi.whiteBold('ause, ')}` +
      `${ansi.tag('45', 'r')}${ansi.whiteBold('esume, ')}${ansi.whiteBold('re')}${ansi.tag('45', 's')}${ansi.whiteBold('ults, ')}` +
      `${ansi.tag('45', 'c')}${ansi.whiteBold('onnection')}`
    : "'h' hashrate, 'p' pause, 'r' resume, 's' results, 'c' connection";
  const lines = [
    `${label('ABOUT')}${ansi.cyanBold(`${b.name}/${b.version}`)}${ansi.whiteBold(` gcc/${b.gcc}`)} (built for Linux x86-64, 64 bit)`,
    `${label('LIBS')}libuv/${b.libuv} OpenSSL/${b.openssl} hwloc/${b.hwloc}`,
    `${label('HUGE PAGES')}${info.hugePages ? ansi.greenBold('supported') : ansi.redBold('disabled')}`,
    `${label('1GB PAGES')}${ansi.redBold('disabled')}`,
    `${label('CPU')}${ansi.whiteBold(cpu.brand)} ${ansi.cyanBold(`(${cpu.packages})`)} ${ansi.greenBold('64-bit AES')} VM`,
    `${' '.repeat(16)}${ansi.blackBold('L2:')}${ansi.whiteBold(`${(cpu.l2 / MB).toFixed(1)} MB`)} ` +
      `${ansi.blackBold('L3:')}${ansi.whiteBold(`${(cpu.l3 / MB).toFixed(1)} MB`)} ` +
      `${ansi.cyanBold(`${cpu.cores}C/${cpu.threads}T`)} NUMA:${cpu.nodes}`,
    `${label('MEMORY')}${ansi.cyanBold(`${used.toFixed(1)}/${total.toFixed(1)} GB`)} ${ansi.blackBold(`(${percent}%)`)}`,
    `${label('DONATE')}${ansi.whiteBold(`${info.donateLevel}%`)}`,
    `${label('ASSEMBLY')}auto:${ansi.greenBold(cpu.assembly)}`,
    ...info.pools.map((pool, i) => `${label(`POOL #${i + 1}`)}${pool}`),
    `${label('COMMANDS')}${commands}`,
  ];
  if (info.http) {
    lines.push(`${label('HTTP API')}${ansi.cyanBold(`${info.http.host}:${info.http.port}`)} `);
  }
  return lines;
}
