import { findSharedLibrary, systemLibrarySearchPath, type LibrarySearchPath } from '../shared-libraries.js';
import type { BackendCandidate } from './candidate.js';
import { activateTensorflowBinding, notInstalled } from './tensorflow-binding.js';

const PACKAGE = '@tensorflow/tfjs-node-gpu';

/** tfjs-node-gpu 4.x links libtensorflow 2.9 built against CUDA 11.2 and cuDNN 8.1: these exact sonames. */
export const CUDA_LIBRARIES = [
  { soname: 'libcuda.so.1', what: 'NVIDIA driver' },
  { soname: 'libcudart.so.11.0', what: 'CUDA 11.2 runtime' },
  { soname: 'libcudnn.so.8', what: 'cuDNN 8' },
] as const;

/** Why the CUDA libraries tfjs-node-gpu needs cannot be loaded, or undefined when all are found. */
export function missingCudaLibraries(
  search: LibrarySearchPath,
  fileExists?: (path: string) => boolean,
): string | undefined {
  const missing = CUDA_LIBRARIES.filter((lib) => !findSharedLibrary(lib.soname, search, fileExists));
  if (missing.length === 0) return undefined;
  return (
    missing.map((lib) => `${lib.what} ${lib.soname} not found`).join('; ') +
    ' (searched ldconfig -p and LD_LIBRARY_PATH; tfjs-node-gpu needs CUDA 11.2 + cuDNN 8.1 exactly: a CUDA 12 install does not provide libcudart.so.11.0)'
  );
}

export const tfjsNodeGpu: BackendCandidate = {
  name: 'tfjs-node-gpu',
  tensorMemory: 'device',
  async activate() {
    const absent = notInstalled(PACKAGE);
    if (absent) return absent;
    // Checked before loading: a missing CUDA library otherwise surfaces as an opaque dlopen error.
    const missing =
      process.platform === 'linux' ? missingCudaLibraries(systemLibrarySearchPath()) : undefined;
    if (missing) return { ok: false, why: missing };
    return activateTensorflowBinding(PACKAGE);
  },
};
