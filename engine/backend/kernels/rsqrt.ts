import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const rsqrt = elementwiseUnaryKernel('Rsqrt');
