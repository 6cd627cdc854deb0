import { createAdam, type AdamOptions } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { createSgd, type SgdOptions } from './sgd.js';

export type OptimizerSpec =
  ({ kind: 'sgd' } & Partial<SgdOptions>) | ({ kind: 'adam' } & Partial<AdamOptions>);

interface OptimizerEntry<S extends OptimizerSpec> {
  create(spec: S): Optimizer;
  /** Tensors of state it keeps per trained variable (momentum buffers, moments), for the memory check. */
  stateSlots(spec: S): number;
}

/** Optimizer kinds by name: a new optimizer is one file plus one line here. */
const optimizers: { [K in OptimizerSpec['kind']]: OptimizerEntry<Extract<OptimizerSpec, { kind: K }>> } = {
  sgd: {
    create: ({ kind: _kind, ...options }) => createSgd(options),
    stateSlots: (s) => (s.momentum ? 1 : 0),
  },
  adam: { create: ({ kind: _kind, ...options }) => createAdam(options), stateSlots: () => 2 },
};

function entryFor(spec: OptimizerSpec): OptimizerEntry<OptimizerSpec> {
  const entry = optimizers[spec.kind] as OptimizerEntry<OptimizerSpec> | undefined;
  if (!entry)
    throw new Error(`unknown optimizer '${spec.kind}' (known: ${Object.keys(optimizers).join(', ')})`);
  return entry;
}

export function createOptimizer(spec: OptimizerSpec): Optimizer {
  return entryFor(spec).create(spec);
}

export function optimizerStateSlots(spec: OptimizerSpec): number {
  return entryFor(spec).stateSlots(spec);
}

export type { Optimizer, OptimizerState } from './optimizer.js';
