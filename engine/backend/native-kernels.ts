import * as tf from '@tensorflow/tfjs';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { nativeKernels } from './kernels/registry.js';
import type { NativeAddon } from './native-addon.js';

const CPU = 'cpu';

/**
 * Registers the addon's kernels over the tfjs cpu backend's kernels of the same names, so every
 * tf.conv3d (and its gradient) on 'cpu' runs on oneDNN with no change to the calling code.
 * Disposing restores the original JS kernels. Installing twice without disposing is an error.
 */
export function installNativeKernels(addon: NativeAddon): Disposable {
  const originals = nativeKernels.map((kernel) => {
    const original = tf.getKernel(kernel.kernelName, CPU);
    if (!original)
      throw new Error(`cannot install native ${kernel.kernelName}: the tfjs cpu backend has no such kernel`);
    if (installedFuncs.has(original.kernelFunc))
      throw new Error(`native ${kernel.kernelName} is already installed over the cpu backend`);
    return original;
  });
  nativeKernels.forEach((kernel, i) => {
    const original = originals[i];
    const kernelFunc = kernel.create(addon, original.kernelFunc);
    installedFuncs.add(kernelFunc);
    // unregister first: registering over an existing name logs a warning.
    tf.unregisterKernel(kernel.kernelName, CPU);
    tf.registerKernel({ ...original, kernelFunc });
  });
  return toDisposable(() => {
    for (const original of originals) {
      const current = tf.getKernel(original.kernelName, CPU);
      if (current) {
        installedFuncs.delete(current.kernelFunc);
        tf.unregisterKernel(original.kernelName, CPU);
      }
      tf.registerKernel(original);
    }
  });
}

/** Whether tf.conv3d on the cpu backend currently runs the native kernel. */
export function nativeKernelsInstalled(): boolean {
  const current = tf.getKernel('Conv3D', CPU);
  return current !== undefined && installedFuncs.has(current.kernelFunc);
}

const installedFuncs = new WeakSet<tf.KernelFunc>();
