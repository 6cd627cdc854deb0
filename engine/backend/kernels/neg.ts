import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const neg = elementwiseUnaryKernel('Neg');
