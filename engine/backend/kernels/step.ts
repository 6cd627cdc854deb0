import { elementwiseUnaryKernel } from './elementwise-unary.js';

/** Step {alpha}: 1 where x > 0, alpha elsewhere, NaN kept (relu's gradient mask). */
export const step = elementwiseUnaryKernel('Step', (attrs) => Number(attrs.alpha ?? 0));
