import { createAdam, type AdamOptions } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { createSgd, type SgdOptions } from './sgd.js';

export type OptimizerSpec =
  ({ kind: 'sgd' } & Partial<SgdOptions>) | ({ kind: 'adam' } & Partial<AdamOptions>);

/** Optimizer kinds by name: a new optimizer is one file plus one line here. */
const optimizers: { [K in OptimizerSpec['kind']]: (spec: Extract<OptimizerSpec, { kind: K }>) => Optimizer } =
  {
    sgd: ({ kind: _kind, ...options }) => createSgd(options),
    adam: ({ kind: _kind, ...options }) => createAdam(options),
  };

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  const factory = optimizers[spec.kind] as ((s: OptimizerSpec) => Optimizer) | undefined;
  if (!factory)
    throw new Error(`unknown optimizer '${spec.kind}' (known: ${Object.keys(optimizers).join(', ')})`);
  return factory(spec);
}

export type { Optimizer, OptimizerState } from './optimizer.js';
