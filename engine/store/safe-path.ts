import path from 'node:path';
import { StoreError } from './errors.js';

/** A single file name: no folders, no '.'/'..', nothing a file system would interpret. */
export function assertPlainFileName(name: string, what: string): void {
  if (
    name.length === 0 ||
    name.length > 200 ||
    name === '.' ||
    name === '..' ||
    /[/\\\0:]/.test(name) ||
    name.trim() !== name
  ) {
    throw new StoreError(
      `${what} '${name}' is not a plain file name (no folders, '..', ':' or surrounding spaces)`,
    );
  }
}

/**
 * Why `relativePath` may not be used inside a bundle, or null when it is safe: a forward-slash
 * relative path without '.'/'..'/empty segments, drive letters, backslashes or NUL.
 */
export function unsafePathReason(relativePath: string): string | null {
  if (relativePath.length === 0) return 'it is empty';
  if (relativePath.includes('\0')) return 'it contains a NUL byte';
  if (relativePath.includes('\\')) return 'it contains a backslash';
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath)) return 'it is absolute';
  const segments = relativePath.split('/');
  if (segments.includes('..')) return "it contains '..'";
  if (segments.some((s) => s === '' || s === '.')) return "it has an empty or '.' segment";
  return null;
}

/** The absolute path of `relativePath` under `root`, or null if it would land outside `root`. */
export function resolveInside(root: string, relativePath: string): string | null {
  const resolved = path.resolve(root, relativePath);
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return resolved.startsWith(prefix) ? resolved : null;
}
