import { ansi } from '../shared/ansi.js';

/** A pool entry of config.json, before it is checked. */
export interface ConfigFilePool {
  url?: string;
  user?: string;
  pass?: string;
  rigId?: string | null;
  algo?: string | null;
  coin?: string | null;
  keepalive?: boolean;
  nicehash?: boolean;
  tls?: boolean;
  tlsFingerprint?: string | null;
  enabled?: boolean;
}

/** What the simulator takes from an xmrig config.json; keys it does not use are ignored. */
export interface ConfigFileValues {
  pools?: ConfigFilePool[];
  http?: {
    enabled?: boolean;
    host?: string;
    port?: number;
    accessToken?: string | null;
    restricted?: boolean;
  };
  donateLevel?: number;
  printTime?: number;
  colors?: boolean;
  retries?: number;
  retryPause?: number;
  threads?: number;
  cpuPriority?: number | null;
  cpuMaxThreadsHint?: number;
  hugePages?: boolean;
  randomxMode?: 'auto' | 'fast' | 'light';
  userAgent?: string | null;
  verbose?: boolean;
  apiId?: string | null;
  apiWorkerId?: string | null;
}

/** The file's values, or the message xmrig logs (with the `config` tag) when it cannot use it. */
export type ConfigFileResult =
  | { ok: true; values: ConfigFileValues }
  | { ok: false; message: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const strOrNull = (value: unknown) =>
  value === null ? null : typeof value === 'string' ? value : undefined;
const bool = (value: unknown) => (typeof value === 'boolean' ? value : undefined);
const int = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;

/** Drops the `undefined` members, so that spreading the result never clears a default. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readPool(raw: unknown): ConfigFilePool | undefined {
  if (!isObject(raw)) return undefined;
  return defined({
    url: str(raw.url),
    user: str(raw.user),
    pass: str(raw.pass),
    rigId: strOrNull(raw['rig-id']),
    algo: strOrNull(raw.algo),
    coin: strOrNull(raw.coin),
    keepalive:
      bool(raw.keepalive) ?? (typeof raw.keepalive === 'number' ? raw.keepalive > 0 : undefined),
    nicehash: bool(raw.nicehash),
    tls: bool(raw.tls),
    tlsFingerprint: strOrNull(raw['tls-fingerprint']),
    enabled: bool(raw.enabled),
  });
}

/** The thread count of the `cpu` section: the `*` or `rx` profile (`{threads}` or an array). */
function readThreads(cpu: Json): number | undefined {
  for (const key of ['*', 'rx']) {
    const profile = cpu[key];
    if (Array.isArray(profile) && profile.length > 0) return profile.length;
    if (isObject(profile)) {
      const threads = int(profile.threads, 1, 1024);
      if (threads !== undefined) return threads;
    }
  }
  return undefined;
}

/** `Unexpected token } in JSON at position 12` → 12 (the offset xmrig prints). */
function parseErrorOffset(message: string): number {
  const match = /position (\d+)/.exec(message);
  return match ? Number(match[1]) : 0;
}

/**
 * Reads the parts of an xmrig `config.json` the simulator uses (pools, http, cpu threads and
 * priority, huge pages, donate level, print time, colours, retries…). `text` is `undefined`
 * when the file could not be read. Values of the wrong type are ignored, as xmrig ignores them.
 */
export function parseXmrigConfigFile(path: string, text: string | undefined): ConfigFileResult {
  if (text === undefined) {
    return { ok: false, message: ansi.redBold(`unable to open "${path}".`) };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    return {
      ok: false,
      message: ansi.redBold(`${path}<offset:${parseErrorOffset(message)}>: "${message}"`),
    };
  }
  if (!isObject(doc)) {
    return {
      ok: false,
      message: ansi.redBold(`${path}<offset:0>: "The document root must be an object."`),
    };
  }

  const values: ConfigFileValues = {};
  if (Array.isArray(doc.pools)) {
    values.pools = doc.pools.map(readPool).filter((pool) => pool !== undefined);
  }
  if (isObject(doc.http)) {
    values.http = defined({
      enabled: bool(doc.http.enabled),
      host: str(doc.http.host),
      port: int(doc.http.port, 0, 65_535),
      accessToken: strOrNull(doc.http['access-token']),
      restricted: bool(doc.http.restricted),
    });
  }
  if (isObject(doc.api)) {
    const apiId = strOrNull(doc.api.id);
    const workerId = strOrNull(doc.api['worker-id']);
    if (apiId !== undefined) values.apiId = apiId;
    if (workerId !== undefined) values.apiWorkerId = workerId;
  }
  if (isObject(doc.cpu)) {
    const threads = readThreads(doc.cpu);
    if (threads !== undefined) values.threads = threads;
    const priority = doc.cpu.priority === null ? null : int(doc.cpu.priority, 0, 5);
    if (priority !== undefined) values.cpuPriority = priority;
    const hint = int(doc.cpu['max-threads-hint'], 1, 100);
    if (hint !== undefined) values.cpuMaxThreadsHint = hint;
    const hugePages = bool(doc.cpu['huge-pages']);
    if (hugePages !== undefined) values.hugePages = hugePages;
  }
  if (isObject(doc.randomx)) {
    const mode = doc.randomx.mode;
    if (mode === 'auto' || mode === 'fast' || mode === 'light') values.randomxMode = mode;
  }
  Object.assign(
    values,
    defined({
      donateLevel: int(doc['donate-level'], 0, 99),
      printTime: int(doc['print-time'], 0, 3600),
      colors: bool(doc.colors),
      retries: int(doc.retries, 0, 1000),
      retryPause: int(doc['retry-pause'], 1, 3600),
      userAgent: strOrNull(doc['user-agent']),
      verbose: bool(doc.verbose) ?? (typeof doc.verbose === 'number' ? doc.verbose > 0 : undefined),
    }),
  );
  return { ok: true, values };
}
