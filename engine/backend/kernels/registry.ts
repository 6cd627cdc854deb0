import { adamUpdate } from './adam-update.js';
import { add } from './add.js';
import { avgPool3d } from './avg-pool3d.js';
import { avgPool3dGrad } from './avg-pool3d-grad.js';
import { batchMatMul } from './batch-mat-mul.js';
import { batchNormTraining } from './batch-norm-training.js';
import { batchNormTrainingGrad } from './batch-norm-training-grad.js';
import { concat } from './concat.js';
import { conv3d } from './conv3d.js';
import { conv3dBackpropFilter } from './conv3d-backprop-filter.js';
import { conv3dBackpropInput } from './conv3d-backprop-input.js';
import { exp } from './exp.js';
import { gatherV2 } from './gather-v2.js';
import { maxPool3d } from './max-pool3d.js';
import { maxPool3dGrad } from './max-pool3d-grad.js';
import { maximum } from './maximum.js';
import { multiply } from './multiply.js';
import { neg } from './neg.js';
import type { NativeKernel } from './native-kernel.js';
import { padV2 } from './pad-v2.js';
import { realDiv } from './real-div.js';
import { relu } from './relu.js';
import { rsqrt } from './rsqrt.js';
import { sgdUpdate } from './sgd-update.js';
import { slice } from './slice.js';
import { softDice } from './soft-dice.js';
import { softmaxCrossEntropy } from './softmax-cross-entropy.js';
import { splitV } from './split-v.js';
import { sqrt } from './sqrt.js';
import { square } from './square.js';
import { squaredDifference } from './squared-difference.js';
import { step } from './step.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { transpose } from './transpose.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';
import { upsampleNearest3dGrad } from './upsample-nearest3d-grad.js';

/** Every tfjs cpu kernel the addon replaces or adds. A new one: one file in kernels/ and one line here. */
export const nativeKernels: readonly NativeKernel[] = [
  conv3d,
  conv3dBackpropInput,
  conv3dBackpropFilter,
  unsortedSegmentSum,
  add,
  sub,
  multiply,
  realDiv,
  maximum,
  squaredDifference,
  sum,
  relu,
  step,
  neg,
  square,
  sqrt,
  rsqrt,
  exp,
  slice,
  splitV,
  concat,
  padV2,
  transpose,
  gatherV2,
  upsampleNearest3dGrad,
  maxPool3d,
  maxPool3dGrad,
  avgPool3d,
  avgPool3dGrad,
  batchMatMul,
  sgdUpdate,
  adamUpdate,
  softmaxCrossEntropy,
  softDice,
  batchNormTraining,
  batchNormTrainingGrad,
];
