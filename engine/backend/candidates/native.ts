import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon, NATIVE_FAST_PATH_HINT } from '../native-addon.js';
import { installNativeKernels, nativeKernelsInstalled } from '../native-kernels.js';
import type { BackendCandidate } from './candidate.js';

/** tfjs's cpu backend with conv3d and its gradients on oneDNN (the @ranp/native addon). */
export const native: BackendCandidate = {
  name: 'native',
  tensorMemory: 'host',
  async activate() {
    const loaded = loadNativeAddon();
    if (!loaded.loaded) return { ok: false, why: `${loaded.why}; fast path: ${NATIVE_FAST_PATH_HINT}` };
    await tf.setBackend('cpu');
    // Installed for the life of the process: selection happens once.
    if (!nativeKernelsInstalled()) installNativeKernels(loaded.addon);
    const { oneDnnVersion, threads, isa } = loaded.info;
    return {
      ok: true,
      tfBackend: 'cpu',
      native: true,
      detail: `tfjs cpu + oneDNN ${oneDnnVersion} conv3d kernels (${isa}, ${threads} OpenMP threads)`,
    };
  },
};
