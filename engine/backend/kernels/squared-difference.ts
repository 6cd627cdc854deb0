import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const squaredDifference = elementwiseBinaryKernel('SquaredDifference');
