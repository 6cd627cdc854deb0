import type { FeatureShape } from '../description.js';
import { expectInputCount } from '../window.js';

/** Shape rule of element-wise layers: one input, same shape out. */
export function passthroughShape(layer: string, inputs: FeatureShape[]): FeatureShape {
  expectInputCount(layer, inputs, 1);
  return inputs[0];
}
