import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const multiply = elementwiseBinaryKernel('Multiply');
