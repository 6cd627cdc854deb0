import type { LayerNode } from './description.js';
import { layerDef } from './layers/registry.js';

/** What a layer's backward reads: its hand-written gradient's `reads`, else its inputs (to run its forward again). */
export function backwardReads(node: LayerNode): { inputs: boolean; output: boolean } {
  return layerDef(node).gradient?.reads ?? { inputs: true, output: false };
}

/**
 * The liveness plan of one memory-lean training step (backprop.ts runs it on tensors,
 * engine/train/step-memory.ts on byte counts): which layers need a backward, and how many forward
 * consumers and backward readers each layer output has. An output is released when both counts
 * reach zero.
 */
export interface StepPlan {
  needsGrad: Set<string>;
  forwardUses: Map<string, number>;
  backwardUses: Map<string, number>;
}

/** `nodes` in topological order, including `output`; `hasTrained(node)`: the layer has trained parameters. */
export function planStep(
  nodes: readonly LayerNode[],
  output: string,
  hasTrained: (node: LayerNode) => boolean,
): StepPlan {
  // A layer needs a backward when it has trained parameters or an input that depends on some.
  const needsGrad = new Set<string>();
  for (const node of nodes)
    if (hasTrained(node) || node.inputs.some((i) => needsGrad.has(i))) needsGrad.add(node.name);

  const forwardUses = new Map<string, number>(nodes.map((n) => [n.name, n.name === output ? 1 : 0]));
  const backwardUses = new Map<string, number>(nodes.map((n) => [n.name, 0]));
  for (const node of nodes) {
    const reads = backwardReads(node);
    for (const input of new Set(node.inputs)) {
      bumpUses(forwardUses, input, 1);
      if (needsGrad.has(node.name) && reads.inputs) bumpUses(backwardUses, input, 1);
    }
    if (needsGrad.has(node.name) && reads.output) bumpUses(backwardUses, node.name, 1);
  }
  return { needsGrad, forwardUses, backwardUses };
}

export function bumpUses(uses: Map<string, number>, name: string, by: number): void {
  uses.set(name, uses.get(name)! + by);
}

/** Whether a layer output can go: no forward consumer and no backward reader left. */
export function isReleasable(plan: StepPlan, name: string): boolean {
  return plan.forwardUses.get(name) === 0 && plan.backwardUses.get(name) === 0;
}
