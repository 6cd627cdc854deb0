import { realpathSync } from 'node:fs';
import path from 'node:path';
import { ProtocolError } from '../protocol/errors.js';

/**
 * The folders the renderer may name: the bundled samples, the data dir, and folders the user picked
 * in a native dialog. Paths are resolved through symlinks before the check, so a link inside an
 * allowed folder cannot point outside it.
 */
export class FolderGuard {
  private readonly roots = new Set<string>();

  constructor(roots: string[]) {
    for (const root of roots) this.allow(root);
  }

  allow(folder: string): void {
    this.roots.add(realOrResolved(folder));
  }

  get allowedRoots(): string[] {
    return [...this.roots];
  }

  /** The real absolute path, if it lies inside an allowed folder; otherwise a 'forbidden-path' error. */
  check(requested: string): string {
    if (requested.includes('\0')) throw new ProtocolError('forbidden-path', 'path contains a NUL byte');
    const real = realOrResolved(requested);
    for (const root of this.roots) {
      const relative = path.relative(root, real);
      if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return real;
    }
    throw new ProtocolError(
      'forbidden-path',
      `'${requested}' is outside the folders this app may read (the samples, the data folder, and folders you chose)`,
    );
  }
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(path.resolve(p));
  } catch {
    // A path that does not exist yet is checked by its resolved form; readers report it missing.
    return path.resolve(p);
  }
}
