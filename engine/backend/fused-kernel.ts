import * as tf from '@tensorflow/tfjs';

/**
 * Runs a kernel tfjs does not have (a fused optimizer update or loss) on the current backend, or
 * returns undefined where that backend has no such kernel: the caller then composes the same
 * computation from tf ops.
 */
export function runFusedKernel(
  kernelName: string,
  inputs: Record<string, tf.Tensor | undefined>,
  attrs: object,
): tf.Tensor[] | undefined {
  if (!tf.getKernel(kernelName, tf.getBackend())) return undefined;
  const present: tf.NamedTensorMap = {};
  for (const [name, tensor] of Object.entries(inputs)) if (tensor) present[name] = tensor;
  return tf.engine().runKernel(kernelName, present, attrs as tf.NamedAttrMap) as tf.Tensor[];
}
