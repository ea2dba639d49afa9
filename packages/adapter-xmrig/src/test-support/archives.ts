import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create, Header, type HeaderData } from 'tar';

/** A fake xmrig that answers `--version` like the real one. */
export const FAKE_XMRIG =
  '#!/bin/sh\necho "XMRig 6.26.0"\necho " built on Nov 24 2026 with GCC 12.2.0"\n';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Builds a .tar.gz with node-tar from files laid out in a temp dir. `files` maps a path
 * relative to the archive root (may start with `../` or be absolute, created with
 * `preservePaths`) to its content, or to `{ symlink: target }`.
 */
export async function buildArchive(
  files: Record<string, string | { symlink: string } | { mode: number; content: string }>,
  entries: string[] = Object.keys(files),
): Promise<Buffer> {
  const base = await mkdtemp(join(tmpdir(), 'rigkit-archive-'));
  const cwd = join(base, 'root');
  try {
    await mkdir(cwd, { recursive: true });
    for (const [path, content] of Object.entries(files)) {
      const full = path.startsWith('/') ? path : join(cwd, path);
      await mkdir(dirname(full), { recursive: true });
      if (typeof content === 'string') {
        await writeFile(full, content);
      } else if ('symlink' in content) {
        await symlink(content.symlink, full);
      } else {
        await writeFile(full, content.content);
        await chmod(full, content.mode);
      }
    }
    const file = join(base, 'out.tar.gz');
    await create({ file, cwd, gzip: true, preservePaths: true, portable: true }, entries);
    return await readFile(file);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

/** Builds a .tar.gz from raw headers, for entries node-tar would not create from disk. */
export function rawArchive(entries: (HeaderData & { body?: string })[]): Buffer {
  const blocks: Buffer[] = [];
  for (const { body = '', ...data } of entries) {
    const content = Buffer.from(body);
    const header = new Header({
      mode: 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      ...data,
      size: content.length,
    });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    blocks.push(block, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}
