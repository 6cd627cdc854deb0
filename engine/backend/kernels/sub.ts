import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const sub = elementwiseBinaryKernel('Sub');
