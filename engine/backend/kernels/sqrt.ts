import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const sqrt = elementwiseUnaryKernel('Sqrt');
