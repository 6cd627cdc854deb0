import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const realDiv = elementwiseBinaryKernel('RealDiv');
