import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Kernel error codes a user can act on, in words. */
const REASON_OF_CODE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is larger than this file system or process allows',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a folder in the path is a file',
  ENOENT: 'no such file or folder',
  EISDIR: 'the path is a folder',
  EEXIST: 'a file is in the way of a folder',
  EIO: 'input/output error (failing disk or lost network share)',
};

/** `the disk is full (ENOSPC: no space left on device, write)`: the reason first, the raw error kept. */
export function describeFileSystemError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = code ? REASON_OF_CODE[code] : undefined;
  return reason ? `${reason} (${message})` : String(message ?? error);
}

/** A file could not be written; whatever was at `file` before is untouched. */
export class FileWriteError extends Error {
  override name = 'FileWriteError';
  /** The kernel's code (ENOSPC, EROFS, …) when there is one. */
  readonly code: string | undefined;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot write ${file}: ${describeFileSystemError(cause)}; an earlier file there is unchanged`, {
      cause,
    });
    this.code = (cause as NodeJS.ErrnoException).code;
  }
}

export interface AtomicWriteOptions {
  /** Create the parent folders first. */
  createFolder?: boolean;
}

/**
 * Writes `chunks` to `<file>.tmp`, fsyncs, then renames over `file` (atomic on POSIX file systems),
 * so a full disk, a read-only folder or a kill never leaves a half-written file under `file`.
 * On failure the temporary file is removed and FileWriteError names the file and the reason.
 */
export function writeFileAtomic(
  file: string,
  chunks: readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): void {
  const temp = `${file}.tmp`;
  try {
    if (options.createFolder) mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      for (const chunk of chunks) {
        // write(2) may write less than asked (typically just before the disk fills): go on until all
        // is written or the kernel reports the error.
        for (let written = 0; written < chunk.byteLength;)
          written += writeSync(fd, chunk, written, chunk.byteLength - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    removeLeftover(temp);
    throw new FileWriteError(file, error);
  }
}

/**
 * Removes a temporary file after a failed write, if it is there. A folder that refused the write
 * may refuse this too; the write's error is what the caller needs, so this one is not raised.
 */
export function removeLeftover(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Deliberately not raised (see above).
  }
}
