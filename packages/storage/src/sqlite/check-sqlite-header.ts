import { open } from 'node:fs/promises';
import { StorageError } from '../errors/storage-error.js';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

/** What the header says about a file before SQLite opens it. */
export interface SqliteHeaderCheck {
  /** File size in bytes (0: missing or empty, a new database). */
  size: number;
  /**
   * The header disagrees with the file: a page size SQLite never writes, a length that is not
   * whole pages, or fewer pages than the header's own (valid) page count — a truncated copy.
   * Worth a full `quick_check` whatever the size.
   */
  suspicious: boolean;
}

/**
 * Reads the 100-byte header of `file` before SQLite touches it, so random bytes are reported as
 * `E_STORAGE_CORRUPT` with a clear message (and never "repaired" into an empty database). A
 * missing or empty file is fine: it becomes a new database.
 */
export async function checkSqliteHeader(file: string): Promise<SqliteHeaderCheck> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { size: 0, suspicious: false };
    throw StorageError.from(error, 'E_STORAGE_OPEN', file);
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { size: 0, suspicious: false };
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES || header.toString('latin1', 0, MAGIC.length) !== MAGIC) {
      throw new StorageError('E_STORAGE_CORRUPT', 'is not an SQLite database (bad header)', {
        file,
      });
    }
    return { size, suspicious: isSuspicious(header, size) };
  } finally {
    await handle.close();
  }
}

function isSuspicious(header: Buffer, size: number): boolean {
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) return true;
  if (size % pageSize !== 0) return true;
  // The in-header page count is only valid when "version-valid-for" matches the change counter.
  const changeCounter = header.readUInt32BE(24);
  const pages = header.readUInt32BE(28);
  const validFor = header.readUInt32BE(92);
  return validFor === changeCounter && pages > 0 && size / pageSize < pages;
}
