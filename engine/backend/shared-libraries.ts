import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the dynamic loader would look: `ldconfig -p` output and LD_LIBRARY_PATH. */
export interface LibrarySearchPath {
  /** Output of `ldconfig -p` ('' where ldconfig is absent). */
  ldconfig: string;
  ldLibraryPath: string[];
}

/** The loader's search path on this machine (Linux). */
export function systemLibrarySearchPath(env: NodeJS.ProcessEnv = process.env): LibrarySearchPath {
  let ldconfig = '';
  for (const command of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    try {
      ldconfig = execFileSync(command, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      break;
    } catch {
      // try the next location: ldconfig is often outside a normal user's PATH
    }
  }
  return { ldconfig, ldLibraryPath: (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean) };
}

/**
 * Where the exact soname `name` (e.g. 'libcudart.so.11.0') would be found, or undefined.
 * Exact: libcudart.so.12 does not satisfy libcudart.so.11.0.
 */
export function findSharedLibrary(
  name: string,
  search: LibrarySearchPath,
  fileExists: (path: string) => boolean = existsSync,
): string | undefined {
  for (const dir of search.ldLibraryPath) {
    const path = join(dir, name);
    if (fileExists(path)) return path;
  }
  // ldconfig -p lines: "\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0"
  for (const line of search.ldconfig.split('\n')) {
    const match = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (match && match[1] === name) return match[3];
  }
  return undefined;
}
