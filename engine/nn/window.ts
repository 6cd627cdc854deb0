import type { FeatureShape, Padding3, PaddingSpec, Triple } from './description.js';
import { LayerError } from './errors.js';
import { clampKernel, formatTriple, resolvePadding, windowOutputSize } from './padding.js';

export interface WindowAttrs {
  kernel: Triple;
  stride: Triple;
  padding: PaddingSpec;
  clampKernel?: boolean;
}

/** A conv/pool window resolved for one input size. */
export interface ResolvedWindow {
  kernel: Triple;
  stride: Triple;
  padding: Padding3;
  output: Triple;
}

/** Resolves padding (and kernel clamping) for an input size and checks the window fits. */
export function resolveWindow(layer: string, input: Triple, attrs: WindowAttrs): ResolvedWindow {
  if (attrs.stride.some((s) => !Number.isInteger(s) || s < 1))
    throw new LayerError(layer, `stride must be positive integers, got ${formatTriple(attrs.stride)}`);
  const padding = resolvePadding(attrs.padding, input, attrs.kernel, attrs.stride);
  const kernel = attrs.clampKernel ? clampKernel(input, attrs.kernel, padding) : attrs.kernel;
  const padded = input.map((n, axis) => n + padding[axis][0] + padding[axis][1]) as Triple;
  if (kernel.some((k, axis) => k > padded[axis]))
    throw new LayerError(
      layer,
      `kernel ${formatTriple(kernel)} is larger than its padded input ${formatTriple(padded)} (input ${formatTriple(input)})`,
    );
  return {
    kernel,
    stride: attrs.stride,
    padding,
    output: windowOutputSize(input, kernel, attrs.stride, padding),
  };
}

/** The single spatial input of a layer, or a specific error. */
export function spatialInput(layer: string, inputs: FeatureShape[], expectedCount = 1): Triple {
  expectInputCount(layer, inputs, expectedCount);
  const spatial = inputs[0].spatial;
  if (!spatial) throw new LayerError(layer, 'expects a spatial (N,D,H,W,C) input, got a flat [N,C] one');
  return spatial;
}

export function expectInputCount(layer: string, inputs: readonly unknown[], expected: number): void {
  if (inputs.length !== expected)
    throw new LayerError(layer, `expects ${expected} input(s), got ${inputs.length}`);
}

export function expectChannels(layer: string, input: FeatureShape, expected: number, what = 'input'): void {
  if (input.channels !== expected)
    throw new LayerError(layer, `expects ${expected} ${what} channels, got ${input.channels}`);
}

export function numel(shape: FeatureShape): number {
  return shape.channels * (shape.spatial ? shape.spatial[0] * shape.spatial[1] * shape.spatial[2] : 1);
}
