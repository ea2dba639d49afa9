import { RigkitError } from '@rigkit/core';

/** One archive member as listed before extraction. */
export interface ArchiveEntry {
  /** The path as stored in the archive. */
  path: string;
  /** node-tar's type name: `File`, `Directory`, `SymbolicLink`, `Link`, `CharacterDevice`… */
  type: string;
  /** Target of a symbolic or hard link. */
  linkpath?: string;
  size: number;
}

/** Why an archive was refused (`details.reason` of `E_INSTALL_UNSAFE_ARCHIVE`). */
export type UnsafeArchiveReason =
  | 'unreadable'
  | 'too-large'
  | 'entry-type'
  | 'bad-path'
  | 'absolute-path'
  | 'parent-segment'
  | 'through-symlink'
  | 'link-escape'
  | 'link-target-missing'
  | 'duplicate-link';

/** Creates the typed error for a refused archive. */
export function unsafeArchive(
  reason: UnsafeArchiveReason,
  message: string,
  entry?: string,
  cause?: unknown,
): RigkitError {
  const shown = entry === undefined ? undefined : entry.slice(0, 200);
  return new RigkitError(
    'E_INSTALL_UNSAFE_ARCHIVE',
    shown === undefined
      ? `unsafe archive: ${message}`
      : `unsafe archive entry "${shown}": ${message}`,
    { cause, details: shown === undefined ? { reason } : { reason, entry: shown } },
  );
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const ALLOWED_TYPES = new Set([...FILE_TYPES, 'Directory', 'SymbolicLink', 'Link']);
const MAX_LINK_HOPS = 40;

/**
 * Checks every entry of an archive before anything is extracted, and returns the set of
 * stored paths that may be extracted. Throws `E_INSTALL_UNSAFE_ARCHIVE` (with
 * `details.reason`) for the first entry that:
 *
 * - is not a regular file, directory, symbolic link or hard link (devices, FIFOs…);
 * - has an absolute path, a `..` segment, a backslash or a NUL;
 * - lies under a path that the archive makes a symbolic link (writing through it could land
 *   anywhere), or makes the same path a link twice;
 * - is a symbolic link whose target, followed through the archive's own links, leaves the
 *   target directory — or a hard link to anything but an earlier entry of the archive.
 */
export function checkArchiveEntries(entries: readonly ArchiveEntry[]): Set<string> {
  const symlinks = new Map<string, string[]>(); // normalised path → target segments
  const normalised: string[] = [];
  for (const entry of entries) {
    if (!ALLOWED_TYPES.has(entry.type)) {
      throw unsafeArchive('entry-type', `${entry.type} entries are not allowed`, entry.path);
    }
    const segments = pathSegments(entry.path, entry.path);
    const key = segments.join('/');
    if (key === '' && entry.type !== 'Directory') {
      throw unsafeArchive('bad-path', 'only a directory may name the archive root', entry.path);
    }
    if (entry.type === 'SymbolicLink') {
      if (symlinks.has(key)) throw unsafeArchive('duplicate-link', 'linked twice', entry.path);
      const target = entry.linkpath ?? '';
      if (target === '' || target.startsWith('/') || /^[A-Za-z]:/.test(target)) {
        throw unsafeArchive('link-escape', 'links to an absolute path', entry.path);
      }
      if (target.includes('\0') || target.includes('\\')) {
        throw unsafeArchive('bad-path', 'link target has a NUL or backslash', entry.path);
      }
      symlinks.set(key, target.split('/'));
    }
    normalised.push(key);
  }

  const seenFiles = new Set<string>();
  entries.forEach((entry, i) => {
    const key = normalised[i] as string;
    const segments = key === '' ? [] : key.split('/');
    for (let n = 1; n < segments.length; n += 1) {
      if (symlinks.has(segments.slice(0, n).join('/'))) {
        throw unsafeArchive('through-symlink', 'lies under a symbolic link', entry.path);
      }
    }
    if (entry.type !== 'SymbolicLink' && symlinks.has(key)) {
      throw unsafeArchive('duplicate-link', 'replaces a symbolic link', entry.path);
    }
    if (entry.type === 'SymbolicLink') {
      const target = symlinks.get(key) as string[];
      if (resolveInside(segments.slice(0, -1), target, symlinks, 0) === undefined) {
        throw unsafeArchive('link-escape', 'links outside the target directory', entry.path);
      }
    }
    if (entry.type === 'Link') {
      const target = pathSegments(entry.linkpath ?? '', entry.path).join('/');
      if (!seenFiles.has(target)) {
        throw unsafeArchive(
          'link-target-missing',
          'hard-links to something that is not an earlier file of the archive',
          entry.path,
        );
      }
    }
    if (FILE_TYPES.has(entry.type)) seenFiles.add(key);
  });
  return new Set(entries.map((entry) => entry.path));
}

/** Splits a stored path into its segments, refusing absolute paths and `..`. */
function pathSegments(path: string, entryPath: string): string[] {
  if (path.includes('\0') || path.includes('\\')) {
    throw unsafeArchive('bad-path', 'path has a NUL or backslash', entryPath);
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw unsafeArchive('absolute-path', 'absolute paths are not allowed', entryPath);
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw unsafeArchive('parent-segment', '".." segments are not allowed', entryPath);
  }
  return segments;
}

/**
 * Follows `target` from directory `dir` inside a virtual tree whose only links are the
 * archive's own. Returns the resolved segments, or undefined when it would leave the root
 * (or loops).
 */
function resolveInside(
  dir: readonly string[],
  target: readonly string[],
  links: ReadonlyMap<string, string[]>,
  hops: number,
): string[] | undefined {
  let stack = [...dir];
  for (const segment of target) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
      continue;
    }
    stack.push(segment);
    const link = links.get(stack.join('/'));
    if (link !== undefined) {
      if (hops >= MAX_LINK_HOPS) return undefined;
      const resolved = resolveInside(stack.slice(0, -1), link, links, hops + 1);
      if (resolved === undefined) return undefined;
      stack = resolved;
    }
  }
  return stack;
}
