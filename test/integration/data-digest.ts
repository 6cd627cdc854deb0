import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A test oracle for engine/data/fingerprint.ts, from the files themselves with node:crypto: each
 * file's size and sha256 of its whole bytes (so only for folders of small files, at most 128 KiB,
 * where the fingerprint hashes files whole), and the digest over "path size sha256" lines.
 */
export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export interface OracleFile {
  path: string;
  size: number;
  sha256: string;
}

export function filesOf(folder: string): OracleFile[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((file) => {
      const bytes = readFileSync(file);
      if (bytes.length > 128 * 1024)
        throw new Error(`${file}: too big for this oracle (${bytes.length} bytes)`);
      return { path: relative(folder, file).split(sep).join('/'), size: bytes.length, sha256: sha256(bytes) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

export const digestOf = (files: readonly OracleFile[]): string =>
  sha256(files.map((f) => `${f.path}\t${f.size}\t${f.sha256}\n`).join(''));
