import type { FeatureShape, NormAttrs } from '../description.js';
import type { ParamSpec } from '../layer.js';
import { LayerError } from '../errors.js';
import { expectChannels, numel, spatialInput } from '../window.js';

/** Shape rule shared by the 3D norms: a spatial input with `channels` channels, same shape out. */
export function normOutputShape(layer: string, attrs: NormAttrs, inputs: FeatureShape[]): FeatureShape {
  spatialInput(layer, inputs);
  expectChannels(layer, inputs[0], attrs.channels);
  if (!(attrs.eps > 0)) throw new LayerError(layer, `eps must be positive, got ${attrs.eps}`);
  return inputs[0];
}

/** Affine per-channel parameters of every norm (docs/method.md step 1: gamma N(1, 0.02), beta 0). */
export function affineParams(channels: number): ParamSpec[] {
  return [
    { name: 'gamma', shape: [channels], init: 'gammaNormal', trainable: true, outAxis: 0 },
    { name: 'beta', shape: [channels], init: 'zeros', trainable: true, outAxis: 0 },
  ];
}

/** docs/method.md section 4 gives 4·numel(input) for batch norm; the other norms use the same rule. */
export function normFlops(inputs: FeatureShape[]): number {
  return 4 * numel(inputs[0]);
}
