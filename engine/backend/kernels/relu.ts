import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const relu = elementwiseUnaryKernel('Relu');
