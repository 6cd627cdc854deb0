import { elementwiseUnaryKernel } from './elementwise-unary.js';

export const exp = elementwiseUnaryKernel('Exp');
