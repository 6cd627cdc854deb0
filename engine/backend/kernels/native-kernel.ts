import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from '../native-addon.js';

/** The part of tfjs's MathBackendCPU a native kernel touches. */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/**
 * A kernel that replaces a tfjs cpu kernel of the same name; `fallback` is the original JS kernel.
 * With `addsKernel`, it is a kernel tfjs does not have (a fused optimizer update): it is registered
 * fresh, removed again on uninstall, and its `fallback` throws.
 */
export interface NativeKernel {
  kernelName: string;
  addsKernel?: true;
  create(addon: NativeAddon, fallback: tf.KernelFunc): tf.KernelFunc;
}

export function isCpuBackend(backend: unknown): backend is CpuBackendLike {
  const b = backend as Partial<CpuBackendLike> | null;
  return typeof b?.makeTensorInfo === 'function' && typeof b.data?.get === 'function';
}

/** The cpu backend from kernel args, or undefined when the call must go to the JS kernel. */
export function cpuBackendOf(args: Parameters<tf.KernelFunc>[0]): CpuBackendLike | undefined {
  return isCpuBackend(args.backend) ? args.backend : undefined;
}

/**
 * The float32 buffer behind `tensor`, checked to hold exactly its shape's element count before it
 * is handed to native code. Returns undefined for non-float32 dtypes: the JS kernel handles those.
 */
export function float32Values(
  backend: CpuBackendLike,
  tensor: tf.TensorInfo,
  kernelName: string,
  input: string,
): Float32Array | undefined {
  if (tensor.dtype !== 'float32') return undefined;
  const values = backend.data.get(tensor.dataId).values;
  const expected = tf.util.sizeFromShape(tensor.shape);
  const array =
    values instanceof Float32Array
      ? values
      : values instanceof Int32Array || values instanceof Uint8Array
        ? Float32Array.from(values)
        : undefined;
  if (!array)
    throw new Error(`${kernelName} (native): input '${input}' has no numeric buffer on the cpu backend`);
  if (array.length !== expected)
    throw new Error(
      `${kernelName} (native): input '${input}' of shape [${tensor.shape.join(',')}] holds ${array.length} values, expected ${expected}`,
    );
  return array;
}

/** A named kernel input, which tfjs always passes; a missing one is a caller bug worth naming. */
export function kernelInput(
  args: Parameters<tf.KernelFunc>[0],
  kernelName: string,
  input: string,
): tf.TensorInfo {
  const tensor = args.inputs[input];
  if (!tensor) throw new Error(`${kernelName} (native): missing input '${input}'`);
  return tensor;
}
