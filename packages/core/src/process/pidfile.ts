import { createHash, randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, silentLogger } from '../logger.js';
import type { ProcessFingerprint } from './proc-stat.js';

const SUFFIX = '.pid.json';
const TEMP_SUFFIX = '.tmp';
/** A pidfile holds one fingerprint; anything bigger was not written by us. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Leaves room for the suffixes under the usual 255-byte file name limit. */
const MAX_NAME_BYTES = 200;
const FORMAT_VERSION = 1;

/** One pidfile found by {@link PidfileStore.list}. */
export interface PidfileEntry {
  minerId: string;
  fingerprint: ProcessFingerprint;
  /** Absolute path of the pidfile. */
  file: string;
}

/** Options of a {@link PidfileStore}. */
export interface PidfileStoreOptions {
  /** Where malformed files are reported (by file name only). Default: silent. */
  logger?: Logger;
}

/**
 * One pidfile per live child, in a directory private to the manager, so that the next start
 * can find the children a crashed manager left behind (see `reapOrphans`).
 *
 * A file is `<dir>/<encoded miner id>.pid.json`. The miner id is encoded so that any string —
 * `../x`, `a/b`, `CON`, emoji, 10 kB of text — maps to one harmless file name, and two ids
 * never share a file even on a case-insensitive file system. The id itself is stored inside.
 *
 * Pidfiles hold the child's command line, which may contain secrets, so the directory is
 * created `0700` and files `0600`. Construction does no I/O.
 */
export class PidfileStore {
  /** The directory holding the pidfiles. */
  readonly dir: string;
  readonly #logger: Logger;

  constructor(dir: string, options: PidfileStoreOptions = {}) {
    this.dir = dir;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The pidfile path for a miner id. Pure: does not touch the disk. */
  fileFor(minerId: string): string {
    return join(this.dir, `${encodeMinerId(minerId)}${SUFFIX}`);
  }

  /**
   * Records a live child, replacing any earlier pidfile of the same miner. The write is atomic
   * (temp file + rename): a crash mid-write leaves the old file or the new one, never half.
   */
  async write(minerId: string, fingerprint: ProcessFingerprint): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileFor(minerId);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    const body: PidfileBody = {
      version: FORMAT_VERSION,
      minerId,
      pid: fingerprint.pid,
      startTime: fingerprint.startTime,
      cmdline: fingerprint.cmdline,
    };
    try {
      // No fsync: a pidfile only matters while the machine stays up; a reboot ends every
      // process it could describe.
      await writeFile(temp, JSON.stringify(body), { mode: 0o600, flag: 'wx' });
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  /** Deletes a miner's pidfile. A missing file is not an error. */
  async remove(minerId: string): Promise<void> {
    await unlinkIfPresent(this.fileFor(minerId));
  }

  /**
   * Every well-formed pidfile. Malformed ones (bad JSON, wrong shape, a name that does not
   * match the id inside) are deleted and reported by name only; their contents are never
   * logged. Temp files left by a crashed writer are deleted too. A missing directory is empty.
   */
  async list(): Promise<PidfileEntry[]> {
    let dirents: Dirent[];
    try {
      dirents = await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: PidfileEntry[] = [];
    for (const dirent of dirents) {
      // Directories and symlinks are never written by us; leave them to whoever made them.
      if (!dirent.isFile()) continue;
      const name = dirent.name;
      const file = join(this.dir, name);
      if (name.endsWith(TEMP_SUFFIX)) {
        // Temp files of this process belong to a write in progress.
        if (!name.includes(`.${process.pid}.`)) await unlinkIfPresent(file);
        continue;
      }
      if (!name.endsWith(SUFFIX)) continue;
      const entry = await this.#read(file, name);
      if (entry === undefined) {
        this.#logger.warn({ file: name }, 'deleting malformed pidfile');
        await unlinkIfPresent(file);
      } else {
        entries.push(entry);
      }
    }
    return entries;
  }

  async #read(file: string, name: string): Promise<PidfileEntry | undefined> {
    try {
      if ((await stat(file)).size > MAX_FILE_BYTES) return undefined;
      const body = parseBody(JSON.parse(await readFile(file, 'utf8')));
      if (body === undefined || `${encodeMinerId(body.minerId)}${SUFFIX}` !== name)
        return undefined;
      const { minerId, pid, startTime, cmdline } = body;
      return { minerId, fingerprint: { pid, startTime, cmdline }, file };
    } catch (error) {
      // Deleted under us: nothing to report or delete.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }
}

interface PidfileBody {
  version: typeof FORMAT_VERSION;
  minerId: string;
  pid: number;
  startTime: string;
  cmdline: string[];
}

function parseBody(value: unknown): PidfileBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const body = value as Record<string, unknown>;
  if (body.version !== FORMAT_VERSION) return undefined;
  if (typeof body.minerId !== 'string') return undefined;
  if (typeof body.pid !== 'number' || !Number.isSafeInteger(body.pid) || body.pid <= 0) {
    return undefined;
  }
  if (typeof body.startTime !== 'string' || !/^\d+$/.test(body.startTime)) return undefined;
  if (!Array.isArray(body.cmdline) || !body.cmdline.every((a) => typeof a === 'string')) {
    return undefined;
  }
  return body as unknown as PidfileBody;
}

/** Bytes kept as they are in file names; everything else becomes `%XX`. */
function isSafeByte(byte: number): boolean {
  return (
    (byte >= 0x61 && byte <= 0x7a) || // a-z; upper case is escaped for case-insensitive disks
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x5f // _
  );
}

/**
 * Encodes a miner id as a file name: no `/`, no `.`, no upper case, injective. Ids whose
 * encoding would be too long for a file name use a SHA-256 instead, marked with `=` (which
 * the plain encoding never produces, so the two forms cannot collide).
 */
function encodeMinerId(minerId: string): string {
  let out = '';
  for (const byte of Buffer.from(minerId, 'utf8')) {
    out += isSafeByte(byte)
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (out.length > MAX_NAME_BYTES) {
      return `=${createHash('sha256').update(minerId, 'utf8').digest('hex')}`;
    }
  }
  // An empty id still needs a visible, non-dot file name.
  return out === '' ? '%' : out;
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
