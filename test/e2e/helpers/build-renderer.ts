import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Where `vite build` writes the renderer; the engine host serves it with --static. */
export const STATIC_DIR = path.resolve('dist/renderer');

/** Builds the renderer now: a test must see this tree's renderer, not a stale dist/. */
export function buildRenderer(): void {
  execFileSync(
    process.execPath,
    [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    { stdio: 'inherit' },
  );
}
