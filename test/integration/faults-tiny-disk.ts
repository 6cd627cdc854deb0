import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Disposable } from '../../engine/util/disposable.js';

/** A real, tiny tmpfs file system: writes past its size fail with ENOSPC from the kernel. */
export interface TinyDisk extends Disposable {
  dir: string;
}

/**
 * Mounts a `kib`-KiB tmpfs on a fresh temp folder, or returns null where mounting is not allowed
 * (no CAP_SYS_ADMIN): callers skip, and their test names say they need it. dispose() unmounts.
 */
export function mountTinyDisk(kib: number): TinyDisk | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    dispose() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the disk with one file until the kernel refuses (ENOSPC); returns the filler's path. */
export function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/**
 * Remounts a tiny disk read-only: writes then fail with EROFS from the kernel, for root too (unlike
 * chmod, which root overrides). Pass `readOnly = false` to make it writable again.
 */
export function setReadOnly(disk: TinyDisk, readOnly = true): void {
  execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, disk.dir], { stdio: 'ignore' });
}
