import type { LayerNode } from './description.js';
import { layerDef } from './layers/registry.js';

/** What a layer's backward reads: its hand-written gradient's `reads`, else its inputs (to run its forward again). */
export function backwardReads(node: LayerNode): { inputs: boolean; output: boolean } {
  return layerDef(node).gradient?.reads ?? { inputs: true, output: false };
}

/**
 * The liveness plan of one memory-lean training step (backprop.ts runs it on tensors,
 * engine/train/step-memory.ts on byte counts): which layers need a backward, and how many forward
 * consumers and backward readers each layer output has left. Each `…Done` call returns the layer
 * outputs that call leaves with neither, for the caller to release.
 */
export interface StepPlan {
  needsGrad: Set<string>;
  /** `node`'s forward has run: its inputs have one forward consumer fewer. */
  forwardDone(node: LayerNode): string[];
  /** The loss has read the net's output. */
  lossDone(): string[];
  /** `node`'s backward has run (or was not needed): what it read has one backward reader fewer. */
  backwardDone(node: LayerNode): string[];
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
  const bump = (uses: Map<string, number>, name: string, by: number) => uses.set(name, uses.get(name)! + by);
  const readsOf = (node: LayerNode) =>
    needsGrad.has(node.name) ? backwardReads(node) : { inputs: false, output: false };
  for (const node of nodes) {
    const reads = readsOf(node);
    for (const input of new Set(node.inputs)) {
      bump(forwardUses, input, 1);
      if (reads.inputs) bump(backwardUses, input, 1);
    }
    if (reads.output) bump(backwardUses, node.name, 1);
  }

  /** Takes one use of each name away; returns those left with no use of either kind. */
  const drop = (uses: Map<string, number>, names: Iterable<string>) =>
    [...names].filter((name) => {
      bump(uses, name, -1);
      return forwardUses.get(name) === 0 && backwardUses.get(name) === 0;
    });
  return {
    needsGrad,
    forwardDone: (node) => drop(forwardUses, new Set(node.inputs)),
    lossDone: () => drop(forwardUses, [output]),
    backwardDone(node) {
      const reads = readsOf(node);
      return [
        ...(reads.inputs ? drop(backwardUses, new Set(node.inputs)) : []),
        ...(reads.output ? drop(backwardUses, [node.name]) : []),
      ];
    },
  };
}
