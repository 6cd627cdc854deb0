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
  /** Whether some backward still reads `name`'s output. */
  backwardReadsLeft(name: string): boolean;
  /** The checkpointed chains (empty unless `checkpoint`), by their last layer's name. */
  chains: Map<string, CheckpointChain>;
}

/**
 * A chain of layers, each the only reader of the one before (conv → norm → ReLU → conv …), run
 * with activation checkpointing: after its forward only its last output is kept; its backward
 * first runs `inner` forward again from the first layer's inputs (kept for that).
 */
export interface CheckpointChain {
  /** The layers whose outputs are dropped after the forward and recomputed, in order. */
  inner: LayerNode[];
  last: LayerNode;
}

/** Chains of ≥ 2 trained layers in `nodes` (topological order), each layer's input the previous layer's only reader. */
export function checkpointChains(
  nodes: readonly LayerNode[],
  output: string,
  needsGrad: ReadonlySet<string>,
): CheckpointChain[] {
  const readers = new Map<string, number>();
  for (const node of nodes)
    for (const input of new Set(node.inputs)) readers.set(input, (readers.get(input) ?? 0) + 1);
  const chains: CheckpointChain[] = [];
  let run: LayerNode[] = [];
  const close = () => {
    if (run.length >= 2) chains.push({ inner: run.slice(0, -1), last: run[run.length - 1] });
    run = [];
  };
  for (const node of nodes) {
    const links =
      run.length > 0 &&
      node.inputs.length === 1 &&
      node.inputs[0] === run[run.length - 1].name &&
      readers.get(node.inputs[0]) === 1 &&
      node.inputs[0] !== output;
    if (!links) close();
    if (node.kind !== 'input' && needsGrad.has(node.name)) run.push(node);
  }
  close();
  return chains;
}

/** `nodes` in topological order, including `output`; `hasTrained(node)`: the layer has trained parameters. */
export function planStep(
  nodes: readonly LayerNode[],
  output: string,
  hasTrained: (node: LayerNode) => boolean,
  checkpoint = false,
): StepPlan {
  // A layer needs a backward when it has trained parameters or an input that depends on some.
  const needsGrad = new Set<string>();
  for (const node of nodes)
    if (hasTrained(node) || node.inputs.some((i) => needsGrad.has(i))) needsGrad.add(node.name);

  const forwardUses = new Map<string, number>(nodes.map((n) => [n.name, n.name === output ? 1 : 0]));
  const backwardUses = new Map<string, number>(nodes.map((n) => [n.name, 0]));
  const bump = (uses: Map<string, number>, name: string, by: number) => uses.set(name, uses.get(name)! + by);
  const chains = new Map(
    (checkpoint ? checkpointChains(nodes, output, needsGrad) : []).map((chain) => [chain.last.name, chain]),
  );
  // A chain's first layer keeps its inputs until its backward: the recomputation starts from them.
  const chainHeads = new Set([...chains.values()].map((chain) => chain.inner[0].name));
  const readsOf = (node: LayerNode) =>
    !needsGrad.has(node.name)
      ? { inputs: false, output: false }
      : chainHeads.has(node.name)
        ? { ...backwardReads(node), inputs: true }
        : backwardReads(node);
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
    chains,
    backwardReadsLeft: (name) => backwardUses.get(name)! > 0,
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
