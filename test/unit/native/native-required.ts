import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { loadNativeAddon } from '../../../engine/backend/native-addon.js';
import { installNativeKernels } from '../../../engine/backend/native-kernels.js';
import type { Disposable } from '../../../engine/util/disposable.js';

/**
 * The native kernel suites run whenever the addon should be there: an addon that did not build fails
 * them, naming the reason and the fix, instead of letting them pass as skipped. RANP_SKIP_NATIVE=1
 * opts out on a machine that cannot build it (as RANP_SKIP_WEBGPU=1 does for the WebGPU tests).
 */
export const nativeAddon = loadNativeAddon();

export const skipNative = !nativeAddon.loaded && process.env.RANP_SKIP_NATIVE === '1';

/** For the suite's title: says why it was skipped. */
export const nativeSuffix = nativeAddon.loaded ? '' : ` — addon absent: ${nativeAddon.why}`;

/** First line of a native suite: every test in it fails with the reason when the addon is absent. */
export function requireNativeAddon(): void {
  beforeAll(() => {
    if (!nativeAddon.loaded)
      throw new Error(
        `the @ranp/native addon did not load (${nativeAddon.why}): run 'npm run setup' to build it, ` +
          'or set RANP_SKIP_NATIVE=1 to skip the native kernel tests',
      );
  });
}

/** In a native suite (after requireNativeAddon): the suite's tests run on the cpu backend with the native kernels installed. */
export function withNativeKernels(): void {
  let installed: Disposable | undefined;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    if (!nativeAddon.loaded) throw new Error('unreachable: requireNativeAddon fails the suite first');
    installed = installNativeKernels(nativeAddon.addon);
  });
  afterAll(() => installed?.dispose());
}
