import * as tf from '@tensorflow/tfjs';
import { toDisposable, type Disposable } from '../util/disposable.js';
import { isCpuBackend } from './kernels/native-kernel.js';
import { installOutputPool, type PoolableBackend } from './kernels/output-buffer.js';
import { nativeKernels } from './kernels/registry.js';
import type { NativeAddon } from './native-addon.js';

const CPU = 'cpu';

/**
 * Registers the addon's kernels over the tfjs cpu backend's kernels of the same names, so every
 * tf.conv3d (and its gradient) on 'cpu' runs on oneDNN with no change to the calling code, and
 * lets the kernels reuse their freed outputs (kernels/output-buffer.ts) where the cpu backend has
 * been created. Disposing restores the original JS kernels. Installing twice without disposing is an error.
 */
export function installNativeKernels(addon: NativeAddon): Disposable {
  const originals = nativeKernels.map((kernel) => {
    const original = tf.getKernel(kernel.kernelName, CPU);
    if (kernel.addsKernel) {
      if (original) throw new Error(`native ${kernel.kernelName} is already registered on the cpu backend`);
      return undefined;
    }
    if (!original)
      throw new Error(`cannot install native ${kernel.kernelName}: the tfjs cpu backend has no such kernel`);
    if (installedFuncs.has(original.kernelFunc))
      throw new Error(`native ${kernel.kernelName} is already installed over the cpu backend`);
    return original;
  });
  nativeKernels.forEach((kernel, i) => {
    const original = originals[i];
    const kernelFunc = kernel.create(addon, original?.kernelFunc ?? noJsKernel(kernel.kernelName));
    installedFuncs.add(kernelFunc);
    // unregister first: registering over an existing name logs a warning.
    if (original) tf.unregisterKernel(kernel.kernelName, CPU);
    tf.registerKernel({ kernelName: kernel.kernelName, backendName: CPU, ...original, kernelFunc });
  });
  const backend = tf.findBackend(CPU);
  const outputPool = isPoolable(backend) ? installOutputPool(backend) : undefined;
  return toDisposable(() => {
    outputPool?.dispose();
    nativeKernels.forEach((kernel, i) => {
      const current = tf.getKernel(kernel.kernelName, CPU);
      if (current) {
        installedFuncs.delete(current.kernelFunc);
        tf.unregisterKernel(kernel.kernelName, CPU);
      }
      const original = originals[i];
      if (original) tf.registerKernel(original);
    });
  });
}

/** The cpu backend, with the methods the output pool wraps. */
function isPoolable(backend: unknown): backend is PoolableBackend {
  const b = backend as Partial<PoolableBackend> | null;
  return (
    isCpuBackend(backend) &&
    typeof b?.write === 'function' &&
    typeof b.move === 'function' &&
    typeof b.readSync === 'function' &&
    typeof b.disposeData === 'function'
  );
}

function noJsKernel(kernelName: string): tf.KernelFunc {
  return () => {
    throw new Error(`${kernelName}: this input is not supported and tfjs has no kernel to fall back to`);
  };
}

/** Whether tf.conv3d on the cpu backend currently runs the native kernel. */
export function nativeKernelsInstalled(): boolean {
  const current = tf.getKernel('Conv3D', CPU);
  return current !== undefined && installedFuncs.has(current.kernelFunc);
}

const installedFuncs = new WeakSet<tf.KernelFunc>();
