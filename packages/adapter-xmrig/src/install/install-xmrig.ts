import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import {
  ConfigInvalidError,
  type ConfigIssue,
  type InstallProgress,
  isRigkitError,
  type Logger,
  RigkitError,
  silentLogger,
} from '@rigkit/core';
import { readLimitedBody } from '../api/read-limited-body.js';
import { downloadToFile } from './download-to-file.js';
import { extractArchive } from './extract-archive.js';
import { safeUrl } from './safe-url.js';
import { parseSha256Sums } from './sha256sums.js';

/** Where to download xmrig from and how to check it. Give `sha256` or `sha256sumsUrl`. */
export interface XmrigInstallSource {
  /** URL of a `.tar.gz` release archive (http or https). */
  url: string | URL;
  /** Expected SHA-256 of the archive, hex. The strongest check: pin it. */
  sha256?: string;
  /**
   * URL of a `SHA256SUMS` file listing the archive by its file name. Weaker than a pinned
   * digest when served from the same place as the archive: it catches corruption, not a
   * compromised server.
   */
  sha256sumsUrl?: string | URL;
}

/** Options of {@link installXmrig}. */
export interface InstallXmrigOptions extends XmrigInstallSource {
  /** Directory to install into; replaced atomically if it exists. */
  dir: string;
  signal?: AbortSignal;
  /** Phases `download` (with `done`/`total` bytes), `verify`, `extract`. */
  progress?: InstallProgress;
  logger?: Logger;
  /** Largest archive accepted, bytes. Default 200 MiB. */
  maxDownloadBytes?: number;
  /** Name of the executable to look for in the archive. Default `xmrig`. */
  binaryName?: string;
}

/** What {@link installXmrig} installed. */
export interface InstalledXmrig {
  /** The install directory. */
  dir: string;
  /** The executable inside it. */
  binary: string;
  /** SHA-256 of the archive, hex. */
  sha256: string;
  /** Size of the archive, bytes. */
  bytes: number;
}

/** The default download limit (xmrig's Linux archives are about 3 MB). */
export const MAX_DOWNLOAD_BYTES = 200 * 1024 * 1024;
const MAX_SUMS_BYTES = 1024 * 1024;

/**
 * Downloads an xmrig release archive, verifies its SHA-256, extracts it safely and moves it
 * into `dir` in one rename. Nothing is left half-installed: the archive and the extraction
 * happen in temporary entries next to `dir`, removed on every path.
 *
 * Errors: `E_CONFIG_INVALID` (bad source), `E_INSTALL_DOWNLOAD` (request failed, non-2xx,
 * too large), `E_INSTALL_CHECKSUM` (digest mismatch, or no entry in SHA256SUMS),
 * `E_INSTALL_UNSAFE_ARCHIVE` (see `checkArchiveEntries`), `E_INSTALL_BINARY_MISSING`.
 * An abort rethrows the signal's reason.
 */
export async function installXmrig(options: InstallXmrigOptions): Promise<InstalledXmrig> {
  const { signal } = options;
  const logger = options.logger ?? silentLogger;
  const progress = options.progress ?? (() => {});
  const { url, sumsUrl, sha256 } = checkSource(options);
  const dir = resolve(options.dir);
  const parent = dirname(dir);
  const id = randomBytes(6).toString('hex');
  const archive = join(parent, `.${basename(dir)}.${id}.download`);
  const staging = join(parent, `.${basename(dir)}.${id}.staging`);

  signal?.throwIfAborted();
  const expected = sha256 ?? (await fetchExpectedDigest(sumsUrl as URL, url, signal));
  try {
    await mkdir(parent, { recursive: true });
    signal?.throwIfAborted();
    progress({ phase: 'download', done: 0 });
    const downloaded = await downloadToFile({
      url,
      file: archive,
      maxBytes: options.maxDownloadBytes ?? MAX_DOWNLOAD_BYTES,
      ...(signal ? { signal } : {}),
      onProgress: (done, total) =>
        progress(
          total === undefined ? { phase: 'download', done } : { phase: 'download', done, total },
        ),
    });

    signal?.throwIfAborted();
    progress({ phase: 'verify' });
    if (!sameDigest(downloaded.sha256, expected)) {
      throw new RigkitError(
        'E_INSTALL_CHECKSUM',
        `SHA-256 of ${safeUrl(url)} does not match: expected ${expected}, got ${downloaded.sha256}`,
        { details: { url: safeUrl(url), expected, actual: downloaded.sha256 } },
      );
    }

    signal?.throwIfAborted();
    progress({ phase: 'extract' });
    await mkdir(staging, { mode: 0o755 });
    await extractArchive(archive, staging);
    const found = await findBinary(staging, options.binaryName ?? 'xmrig');
    if (found === undefined) {
      throw new RigkitError(
        'E_INSTALL_BINARY_MISSING',
        `the archive from ${safeUrl(url)} has no ${options.binaryName ?? 'xmrig'} executable`,
        { details: { url: safeUrl(url) } },
      );
    }
    signal?.throwIfAborted();
    await swapIntoPlace(staging, dir);
    const binary = join(dir, relative(staging, found));
    logger.info({ dir, binary, sha256: downloaded.sha256 }, 'installed xmrig');
    return { dir, binary, sha256: downloaded.sha256, bytes: downloaded.bytes };
  } finally {
    await rm(archive, { force: true }).catch(() => {});
    await rm(staging, { force: true, recursive: true }).catch(() => {});
  }
}

function checkSource(options: InstallXmrigOptions): { url: URL; sumsUrl?: URL; sha256?: string } {
  const issues: ConfigIssue[] = [];
  const url = httpUrl(options.url, 'url', issues);
  const sumsUrl =
    options.sha256sumsUrl === undefined
      ? undefined
      : httpUrl(options.sha256sumsUrl, 'sha256sumsUrl', issues);
  if ((options.sha256 === undefined) === (options.sha256sumsUrl === undefined)) {
    issues.push({ path: 'sha256', message: 'give exactly one of sha256 and sha256sumsUrl' });
  } else if (options.sha256 !== undefined && !/^[0-9A-Fa-f]{64}$/.test(options.sha256)) {
    issues.push({ path: 'sha256', message: 'expected 64 hexadecimal characters' });
  }
  if (issues.length > 0 || url === undefined) {
    throw new ConfigInvalidError('xmrig install source', issues);
  }
  const out: { url: URL; sumsUrl?: URL; sha256?: string } = { url };
  if (sumsUrl !== undefined) out.sumsUrl = sumsUrl;
  if (options.sha256 !== undefined) out.sha256 = options.sha256.toLowerCase();
  return out;
}

function httpUrl(value: string | URL, path: string, issues: ConfigIssue[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path, message: 'expected an http(s) URL' });
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    issues.push({ path, message: 'expected an http(s) URL' });
    return undefined;
  }
  return url;
}

async function fetchExpectedDigest(
  sumsUrl: URL,
  archiveUrl: URL,
  signal: AbortSignal | undefined,
): Promise<string> {
  const where = safeUrl(sumsUrl);
  const fail = (message: string, cause?: unknown) =>
    new RigkitError('E_INSTALL_DOWNLOAD', `download of ${where} ${message}`, {
      cause,
      details: { url: where },
    });
  let text: string;
  try {
    const response = await fetch(sumsUrl, signal ? { signal } : {});
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw fail(`answered HTTP ${response.status}`);
    }
    text = await readLimitedBody(response, MAX_SUMS_BYTES, () =>
      fail(`is larger than ${MAX_SUMS_BYTES} bytes`),
    );
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (isRigkitError(error)) throw error;
    throw fail('failed', error);
  }
  const name = decodeURIComponent(basename(archiveUrl.pathname));
  const digest = parseSha256Sums(text).get(name);
  if (digest === undefined) {
    throw new RigkitError('E_INSTALL_CHECKSUM', `${where} has no entry for ${name}`, {
      details: { url: where, file: name },
    });
  }
  return digest;
}

/** Compares two hex digests in constant time. */
function sameDigest(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** The executable at the archive root or in its single top-level directory (`xmrig-6.x/`). */
async function findBinary(root: string, name: string): Promise<string | undefined> {
  const candidates = [join(root, name)];
  for (const entry of (await readdir(root, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.isDirectory()) candidates.push(join(root, entry.name, name));
  }
  for (const candidate of candidates) {
    const stats = await lstat(candidate).catch(() => undefined);
    if (stats?.isFile()) return candidate;
  }
  return undefined;
}

/** Renames `staging` to `dir`, replacing an existing `dir` and restoring it if that fails. */
async function swapIntoPlace(staging: string, dir: string): Promise<void> {
  const backup = `${staging}.previous`;
  const hadPrevious = await lstat(dir).then(
    () => true,
    () => false,
  );
  if (hadPrevious) await rename(dir, backup);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (hadPrevious) await rename(backup, dir).catch(() => {});
    throw error;
  }
  if (hadPrevious) await rm(backup, { recursive: true, force: true });
}
