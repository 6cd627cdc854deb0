import type * as tf from '@tensorflow/tfjs';
import type { CpuBackendLike } from './native-kernel.js';
import { float32Output } from './output-buffer.js';

/** The typed arrays the cpu backend stores numeric tensors in, by dtype. */
export type NumericValues = Float32Array | Int32Array | Uint8Array;

/**
 * The cpu backend's makeTensorInfo takes any dtype's values; CpuBackendLike declares only the
 * float32 form the conv kernels use, so the data-movement kernels widen it here.
 */
export interface TypedCpuBackend extends CpuBackendLike {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: NumericValues): tf.TensorInfo;
}

export function asTypedBackend(backend: CpuBackendLike): TypedCpuBackend {
  return backend as TypedCpuBackend;
}

const ARRAY_OF_DTYPE: Partial<Record<tf.DataType, new (length: number) => NumericValues>> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/**
 * The values behind `tensor` when they are a typed array of its dtype holding exactly its
 * element count; undefined (→ the JS kernel) for string, complex64 or any other storage.
 */
export function numericValues(backend: CpuBackendLike, tensor: tf.TensorInfo): NumericValues | undefined {
  const arrayType = ARRAY_OF_DTYPE[tensor.dtype];
  const values = backend.data.get(tensor.dataId).values;
  if (!arrayType || !(values instanceof arrayType)) return undefined;
  let size = 1;
  for (const n of tensor.shape) size *= n;
  return values.length === size ? values : undefined;
}

/** A zeroed array of the same type as `like`. */
export function allocLike(like: NumericValues, length: number): NumericValues {
  const arrayType = like.constructor as new (length: number) => NumericValues;
  return new arrayType(length);
}

/**
 * An array of the same type as `like` for a kernel that writes every element: float32 ones skip
 * the zero fill (output-buffer.ts), a whole extra pass over memory for concat, split, slice, gather.
 */
export function allocOverwritten(like: NumericValues, length: number): NumericValues {
  return like instanceof Float32Array ? float32Output(length) : allocLike(like, length);
}

/** Below this many elements a plain loop beats subarray() + set() (object allocation per run). */
const SET_THRESHOLD = 32;

/** Copies `length` elements from src[from…] to dst[to…]; src and dst have the same element type. */
export function copyRun(
  src: NumericValues,
  from: number,
  dst: NumericValues,
  to: number,
  length: number,
): void {
  if (length >= SET_THRESHOLD) {
    dst.set(src.subarray(from, from + length), to);
    return;
  }
  for (let i = 0; i < length; i++) dst[to + i] = src[from + i];
}
