import { createHash } from 'node:crypto';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A data folder's fingerprint: which files it held, how big, and a hash of each, so a stored run
 * says what it was trained or scored on and two runs can be told apart when their data differed.
 *
 * Cheap on big MRI and video folders: a file of at most 2 × EDGE_BYTES is hashed whole, a larger
 * one by its size, first and last EDGE_BYTES (headers, gzip trailers with CRC32 and length, and the
 * end of the data all sit there). A change inside a big file that keeps its size and both ends is
 * not seen; modification times are left out on purpose, so a copy of the same data matches.
 */
export const EDGE_BYTES = 64 * 1024;

const CONCURRENT_FILES = 8;

export interface FingerprintedFile {
  /** Relative to the fingerprinted folder, '/' separated. */
  path: string;
  size: number;
  /** sha256 (hex) of the whole file, or of its first and last EDGE_BYTES when `partial`. */
  sha256: string;
  partial: boolean;
}

export interface DataFingerprint {
  /** The folder (or single file) fingerprinted, absolute and with links resolved. */
  root: string;
  /** sha256 over every file's "path size sha256" line, in path order. */
  digest: string;
  fileCount: number;
  totalBytes: number;
  files: FingerprintedFile[];
}

/** How a file is hashed: whole when small, else size + first and last EDGE_BYTES. */
export async function hashFileEdges(
  file: string,
  size: number,
): Promise<{ sha256: string; partial: boolean }> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const partial = size > 2 * EDGE_BYTES;
    const ranges: [number, number][] = partial
      ? [
          [0, EDGE_BYTES],
          [size - EDGE_BYTES, EDGE_BYTES],
        ]
      : [[0, size]];
    for (const [position, length] of ranges) {
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
        if (bytesRead === 0) break; // shrank while being read: hash what is there
        done += bytesRead;
      }
      hash.update(buffer.subarray(0, done));
    }
    return { sha256: hash.digest('hex'), partial };
  } finally {
    await handle.close();
  }
}

/** Every regular file under `dir` (links followed, each real folder visited once, under its first name), relative paths. */
async function listFiles(dir: string, relative: string, seen: Set<string>, out: string[]): Promise<void> {
  const real = await realpath(dir);
  if (seen.has(real)) return;
  seen.add(real);
  // Sorted, so which name a folder reached twice is listed under does not depend on the file system.
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    let kind: 'file' | 'dir' | 'other' = entry.isFile() ? 'file' : entry.isDirectory() ? 'dir' : 'other';
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined); // a dangling link holds no data
      kind = target?.isFile() ? 'file' : target?.isDirectory() ? 'dir' : 'other';
    }
    if (kind === 'file') out.push(rel);
    else if (kind === 'dir') await listFiles(full, rel, seen, out);
  }
}

/** The fingerprint of a data folder, or of one file (e.g. a score file). */
export async function fingerprintData(target: string): Promise<DataFingerprint> {
  const root = await realpath(target);
  const isFile = (await stat(root)).isFile();
  const relPaths: string[] = [];
  if (isFile) relPaths.push(path.basename(root));
  else await listFiles(root, '', new Set(), relPaths);
  relPaths.sort();
  const files: FingerprintedFile[] = new Array(relPaths.length);
  // A few files at a time: the reads are small, so waiting on each in turn is most of the time.
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < relPaths.length; i = next++) {
      const file = isFile ? root : path.join(root, ...relPaths[i].split('/'));
      const { size } = await stat(file);
      files[i] = { path: relPaths[i], size, ...(await hashFileEdges(file, size)) };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_FILES }, worker));
  const digest = createHash('sha256');
  for (const f of files) digest.update(`${f.path}\t${f.size}\t${f.sha256}\n`);
  return {
    root,
    digest: digest.digest('hex'),
    fileCount: files.length,
    totalBytes: files.reduce((sum, f) => sum + f.size, 0),
    files,
  };
}
