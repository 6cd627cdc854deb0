import { conv3d } from './conv3d.js';
import { conv3dBackpropFilter } from './conv3d-backprop-filter.js';
import { conv3dBackpropInput } from './conv3d-backprop-input.js';
import type { NativeKernel } from './native-kernel.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/** Every tfjs cpu kernel the addon replaces. A new one: one file in kernels/ and one line here. */
export const nativeKernels: readonly NativeKernel[] = [
  conv3d,
  conv3dBackpropInput,
  conv3dBackpropFilter,
  unsortedSegmentSum,
];
