import { elementwiseBinaryKernel } from './elementwise-binary.js';

export const maximum = elementwiseBinaryKernel('Maximum');
