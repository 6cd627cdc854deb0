import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const square = elementwiseUnaryKernel('Square');
