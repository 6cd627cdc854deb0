import type { LayerNode } from '../nn/description.js';
import type { WeightEntry } from '../nn/weights.js';

/**
 * The engine stores tensors channels-last (NDHWC activations, [kd, kh, kw, in, out] conv filters,
 * tfjs's layout); ONNX and PyTorch are channels-first (NCDHW activations, [out, in, kd, kh, kw]
 * filters). The exports convert the weights once, here, and take and give NCDHW tensors: there is
 * no transpose inside the exported graph or module.
 */

/** Channels-last conv filter → channels-first: [kd, kh, kw, a, b] → [b, a, kd, kh, kw]. */
export const FILTER_TO_CHANNELS_FIRST = [4, 3, 0, 1, 2] as const;

/** Activation NDHWC → NCDHW, and back. */
export const NDHWC_TO_NCDHW = [0, 4, 1, 2, 3] as const;
export const NCDHW_TO_NDHWC = [0, 2, 3, 4, 1] as const;

/** Row-major transpose of `values` (of `shape`) so that output axis i is input axis order[i]. */
export function permute(entry: WeightEntry, order: readonly number[]): WeightEntry {
  const { shape, values } = entry;
  if (order.length !== shape.length || [...order].sort().some((axis, i) => axis !== i))
    throw new Error(`permute: order [${order.join(',')}] does not fit shape [${shape.join(',')}]`);
  const outShape = order.map((axis) => shape[axis]);
  const inStrides = stridesOf(shape);
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  // Walk the output in order, keeping the matching input offset.
  let source = 0;
  for (let target = 0; target < out.length; target++) {
    out[target] = values[source];
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      index[axis]++;
      source += inStrides[order[axis]];
      if (index[axis] < outShape[axis]) break;
      source -= index[axis] * inStrides[order[axis]];
      index[axis] = 0;
    }
  }
  return { shape: outShape, values: out };
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  return strides;
}

/**
 * A layer's 'weight' in the channels-first layout both ONNX and PyTorch use: conv
 * [out, in/groups, k…], transposed conv [in, out, k…]; linear stays [in, out] for ONNX's Gemm
 * (`linearForTorch` gives PyTorch's [out, in]).
 */
export function channelsFirstWeight(layer: LayerNode, weight: WeightEntry): WeightEntry {
  return layer.kind === 'conv3d' || layer.kind === 'convTranspose3d'
    ? permute(weight, FILTER_TO_CHANNELS_FIRST)
    : weight;
}

export function linearForTorch(weight: WeightEntry): WeightEntry {
  return permute(weight, [1, 0]);
}
