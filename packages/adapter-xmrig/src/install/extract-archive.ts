import { isRigkitError } from '@rigkit/core';
import { extract, list } from 'tar';
import { type ArchiveEntry, checkArchiveEntries, unsafeArchive } from './archive-entry-policy.js';

/** Limits of {@link extractArchive}. */
export interface ExtractLimits {
  /** Most entries an archive may have. Default 10 000. */
  maxEntries?: number;
  /** Most bytes all files may add up to once extracted. Default 1 GiB. */
  maxExtractedBytes?: number;
}

/**
 * Extracts a (gzipped) tar archive into the existing, empty directory `dest`, safely:
 * every entry is listed and checked first ({@link checkArchiveEntries}), so an unsafe archive
 * is refused with `E_INSTALL_UNSAFE_ARCHIVE` before anything is written. While extracting,
 * entries are checked again against the approved list, and setuid/setgid/sticky and
 * group/other write bits are dropped.
 *
 * On failure `dest` may hold a partial tree: the caller extracts into a temporary directory
 * and removes it.
 */
export async function extractArchive(
  file: string,
  dest: string,
  limits: ExtractLimits = {},
): Promise<void> {
  const maxEntries = limits.maxEntries ?? 10_000;
  const maxBytes = limits.maxExtractedBytes ?? 1024 ** 3;
  const entries: ArchiveEntry[] = [];
  let tooMany = false;
  let bytes = 0;
  try {
    await list({
      file,
      strict: true,
      onReadEntry: (entry) => {
        bytes += entry.size ?? 0;
        if (entries.length >= maxEntries) {
          tooMany = true;
          return;
        }
        const listed: ArchiveEntry = { path: entry.path, type: entry.type, size: entry.size ?? 0 };
        if (entry.linkpath !== undefined) listed.linkpath = entry.linkpath;
        entries.push(listed);
      },
    });
  } catch (error) {
    throw unsafeArchive('unreadable', 'not a readable tar archive', undefined, error);
  }
  if (tooMany) throw unsafeArchive('too-large', `more than ${maxEntries} entries`);
  if (bytes > maxBytes) throw unsafeArchive('too-large', `more than ${maxBytes} bytes extracted`);
  if (entries.length === 0) throw unsafeArchive('unreadable', 'the archive is empty');

  const approved = checkArchiveEntries(entries);
  let refused: string | undefined;
  try {
    await extract({
      file,
      cwd: dest,
      strict: true,
      preserveOwner: false,
      filter: (path, entry) => {
        if (!approved.has(path)) {
          refused ??= path;
          return false;
        }
        const mode = (entry as { mode?: number }).mode;
        if (typeof mode === 'number') (entry as { mode?: number }).mode = mode & 0o755;
        return true;
      },
    });
  } catch (error) {
    if (isRigkitError(error)) throw error;
    throw unsafeArchive('unreadable', 'extraction failed', undefined, error);
  }
  // Only possible if the file changed between the two passes.
  if (refused !== undefined) throw unsafeArchive('bad-path', 'was not checked', refused);
}
