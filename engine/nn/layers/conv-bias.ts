import type { ParamSpec } from '../layer.js';

/** A conv's (or transposed conv's) optional bias: one per output channel, N(0, 1) at init (docs/method.md step 1). */
export function convBiasParams(bias: boolean, outChannels: number): ParamSpec[] {
  return bias
    ? [{ name: 'bias', shape: [outChannels], init: 'standardNormal', trainable: true, outAxis: 0 }]
    : [];
}
