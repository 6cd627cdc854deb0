import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const add = elementwiseBinaryKernel('Add');
