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

  /** `howToAllow` tells the user how a folder becomes allowed in this mode (flag or dialog). */
  constructor(
    roots: string[],
    private readonly howToAllow = 'choose the folder in the app',
  ) {
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
    // Relative to what? The engine's working folder is not one the user can see: refuse, say so.
    if (!path.isAbsolute(requested))
      throw new ProtocolError(
        'invalid-params',
        `'${requested}' is a relative path; give the full path of the folder (e.g. ${path.resolve('/', 'home', 'me', requested)})`,
      );
    const real = realOrResolved(requested);
    for (const root of this.roots) {
      const relative = path.relative(root, real);
      if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return real;
    }
    throw new ProtocolError(
      'forbidden-path',
      `'${requested}' is outside the folders this app may read: ${[...this.roots].join(', ')}. To read it, ${this.howToAllow}`,
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
