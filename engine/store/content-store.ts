import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describeFileSystemError, removeLeftover } from '../util/atomic-write.js';
import { ArtifactIntegrityError, StoreError } from './errors.js';
import { isProcessAlive } from './liveness.js';
import type { DataPaths } from './paths.js';
import type { ArtifactKind, ArtifactSource } from './types.js';

const FOLDER_OF_KIND: Record<ArtifactKind, 'checkpoints' | 'predictions' | 'scores' | 'artifacts'> = {
  checkpoint: 'checkpoints',
  prediction: 'predictions',
  scores: 'scores',
  net: 'artifacts',
  report: 'artifacts',
  other: 'artifacts',
};

const CHUNK_BYTES = 1 << 20;

export interface StoredContent {
  hash: string;
  size: number;
  /** Relative to the data directory, forward slashes (portable across machines). */
  relPath: string;
}

/** sha256 and size of a file, read in chunks so checkpoints of any size fit. */
export function hashFile(file: string): { hash: string; size: number } {
  const hash = crypto.createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const fd = fs.openSync(file, 'r');
  let size = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      size += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { hash: hash.digest('hex'), size };
}

export function contentRelPath(kind: ArtifactKind, hash: string): string {
  return `${FOLDER_OF_KIND[kind]}/${hash.slice(0, 2)}/${hash}`;
}

export function absoluteContentPath(paths: DataPaths, relPath: string): string {
  return path.join(paths.dataDir, ...relPath.split('/'));
}

/**
 * Copies the bytes into the data directory under their sha256 (staged, fsynced, then renamed, so a
 * kill never leaves a partial file under a content name). Identical content is stored once.
 * Throws StoreError naming the data folder and the reason (disk full, read-only, …); callers record
 * rows only after this returns, so a failed copy leaves the database unchanged.
 */
export function putContent(paths: DataPaths, kind: ArtifactKind, source: ArtifactSource): StoredContent {
  const staged = path.join(paths.staging, `${process.pid}-${crypto.randomUUID()}`);
  try {
    fs.mkdirSync(paths.staging, { recursive: true });
    if ('file' in source) fs.copyFileSync(source.file, staged);
    else fs.writeFileSync(staged, source.bytes);
    const fd = fs.openSync(staged, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const { hash, size } = hashFile(staged);
    const relPath = contentRelPath(kind, hash);
    const target = absoluteContentPath(paths, relPath);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(staged, target);
    return { hash, size, relPath };
  } catch (error) {
    throw new StoreError(
      `cannot store the ${kind} in ${paths.dataDir}: ${describeFileSystemError(error)}; nothing was recorded`,
      { cause: error },
    );
  } finally {
    removeLeftover(staged);
  }
}

/** Throws ArtifactIntegrityError naming the file when it is missing or its size or hash differ. */
export function verifyContent(file: string, expectedHash: string, expectedSize: number): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ArtifactIntegrityError(file, 'missing', 'is missing');
  }
  if (!stat.isFile()) throw new ArtifactIntegrityError(file, 'missing', 'is not a regular file');
  if (stat.size !== expectedSize) {
    throw new ArtifactIntegrityError(
      file,
      'size',
      `has ${stat.size} bytes, expected ${expectedSize} (altered or truncated)`,
    );
  }
  const { hash } = hashFile(file);
  if (hash !== expectedHash) {
    throw new ArtifactIntegrityError(
      file,
      'hash',
      `sha256 is ${hash}, expected ${expectedHash} (content altered)`,
    );
  }
}

/** Removes staged files of processes that died mid-copy (staged names start with the writer's pid). */
export function removeAbandonedStaging(paths: DataPaths): void {
  if (!fs.existsSync(paths.staging)) return;
  for (const name of fs.readdirSync(paths.staging)) {
    const pid = Number(name.split('-')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && !isProcessAlive(pid))
      fs.rmSync(path.join(paths.staging, name), { force: true });
  }
}
