import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingCudaLibraries } from '../../../engine/backend/candidates/tfjs-node-gpu.js';
import { findSharedLibrary, systemLibrarySearchPath } from '../../../engine/backend/shared-libraries.js';

// Real `ldconfig -p` lines (format of glibc 2.36): a CUDA 12 machine has libcudart.so.12, not .so.11.0.
const LDCONFIG_CUDA12 = `1234 libs found in cache \`/etc/ld.so.cache'
\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.8
\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.2/lib64/libcudart.so.12
\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1
\tlibc.so.6 (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/x86_64-linux-gnu/libc.so.6
`;

describe('findSharedLibrary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ranp-libs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an exact soname in ldconfig -p output and not a different major version', () => {
    const search = { ldconfig: LDCONFIG_CUDA12, ldLibraryPath: [] };
    expect(findSharedLibrary('libcudnn.so.8', search)).toBe('/usr/lib/x86_64-linux-gnu/libcudnn.so.8');
    expect(findSharedLibrary('libcudart.so.11.0', search)).toBeUndefined();
    expect(findSharedLibrary('libcudart.so.1', search)).toBeUndefined();
  });

  it('finds a library in an LD_LIBRARY_PATH folder (real file), before ldconfig', () => {
    writeFileSync(join(dir, 'libcudart.so.11.0'), '');
    const search = { ldconfig: LDCONFIG_CUDA12, ldLibraryPath: ['/nonexistent', dir] };
    expect(findSharedLibrary('libcudart.so.11.0', search)).toBe(join(dir, 'libcudart.so.11.0'));
  });

  it('reads this machine: libc is always in the loader cache', () => {
    const search = systemLibrarySearchPath({ LD_LIBRARY_PATH: '' });
    if (process.platform === 'linux' && search.ldconfig)
      expect(findSharedLibrary('libc.so.6', search)).toMatch(/libc\.so\.6$/);
    expect(search.ldLibraryPath).toEqual([]);
  });
});

describe('missingCudaLibraries (tfjs-node-gpu diagnosis)', () => {
  it('names the CUDA 11.2 runtime on a CUDA 12 machine and nothing that is present', () => {
    const why = missingCudaLibraries({ ldconfig: LDCONFIG_CUDA12, ldLibraryPath: [] });
    expect(why).toMatch(/^CUDA 11\.2 runtime libcudart\.so\.11\.0 not found \(/);
    expect(why).not.toMatch(/libcudnn|libcuda\.so\.1/);
  });

  it('names every missing library on a machine without NVIDIA software', () => {
    const why = missingCudaLibraries({ ldconfig: '', ldLibraryPath: [] });
    expect(why).toContain('NVIDIA driver libcuda.so.1 not found');
    expect(why).toContain('libcudart.so.11.0 not found');
    expect(why).toContain('cuDNN 8 libcudnn.so.8 not found');
  });

  it('is satisfied when all three are found', () => {
    const ldconfig = `${LDCONFIG_CUDA12}\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.2/lib64/libcudart.so.11.0\n`;
    expect(missingCudaLibraries({ ldconfig, ldLibraryPath: [] })).toBeUndefined();
  });
});
