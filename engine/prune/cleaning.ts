import type { ChannelGraph } from './channels.js';
import type { NeuronMask } from './types.js';

export interface CleanedChannels {
  /** 1 for channel groups that survive selection, coupling and cleaning. */
  keptGroups: Uint8Array;
  /** Per prunable layer, 1 for kept neurons after cleaning. */
  keptNeurons: NeuronMask;
  /** Prunable layers left without any neuron (the pruning failed for them). */
  emptiedLayers: string[];
  /** Of those, the layers where selection and coupling kept nothing (the cause; the rest follow by cleaning). */
  emptiedBySelection: string[];
  /** Neurons kept by coupling although not selected (a partner in their group was selected). */
  keptByCoupling: number;
  /** Selected (or coupled-in) neurons removed by forward/backward cleaning. */
  removedByCleaning: number;
}

/**
 * Coupling and cleaning (docs/method.md steps 8–9) on channel groups.
 * - Coupling: a group is kept iff any member neuron is selected (keeping is always safe); groups
 *   holding a network-input channel or a classifier neuron are always kept.
 * - Forward cleaning: a dense layer none of whose input channels survive produces nothing, so
 *   its neurons go (a depthwise neuron shares its input's group, so it follows that group).
 * - Backward cleaning: a group that no surviving dense layer reads and that is not a net output
 *   channel is useless, so it goes.
 * Both are repeated until nothing changes. Nothing is patched: emptied layers are reported.
 */
export function cleanChannels(graph: ChannelGraph, selected: NeuronMask): CleanedChannels {
  const { net, groupCount, sourceGroups, prunable } = graph;
  const selectedGroups = new Uint8Array(groupCount);
  for (const g of sourceGroups.keys()) if (sourceGroups[g]) selectedGroups[g] = 1;
  for (const layer of prunable) {
    const mask = selected.get(layer.name);
    if (!mask || mask.length !== layer.neurons) {
      throw new Error(
        `selection for layer '${layer.name}': expected ${layer.neurons} entries, got ${mask ? mask.length : 'none'}`,
      );
    }
    const forced = layer.name === net.classifier;
    layer.neuronGroups.forEach((g, j) => {
      if (forced || mask[j]) selectedGroups[g] = 1;
    });
  }
  const outputGroups = new Uint8Array(groupCount);
  const output = graph.channels.get(net.output);
  if (!output) throw new Error(`net '${net.name}': output node '${net.output}' does not exist`);
  for (const g of output) outputGroups[g] = 1;

  const dense = prunable.filter((layer) => !layer.depthwise);
  const kept = selectedGroups.slice();
  for (let changed = true; changed;) {
    changed = false;
    // Forward: a group lives if it holds an input channel or a neuron of a dense layer that reads something.
    const alive = sourceGroups.slice();
    for (const layer of dense) {
      if (!layer.inputGroups.some((g) => kept[g])) continue;
      for (const g of layer.neuronGroups) alive[g] = 1;
    }
    // Backward: a group is used if it is a net output or a surviving dense layer reads it.
    const used = outputGroups.slice();
    for (const layer of dense) {
      if (!layer.neuronGroups.some((g) => kept[g] && alive[g])) continue;
      for (const g of layer.inputGroups) used[g] = 1;
    }
    for (let g = 0; g < groupCount; g++) {
      if (kept[g] && !sourceGroups[g] && !(alive[g] && used[g])) {
        kept[g] = 0;
        changed = true;
      }
    }
  }

  const keptNeurons: NeuronMask = new Map();
  const emptiedLayers: string[] = [];
  const emptiedBySelection: string[] = [];
  let keptByCoupling = 0;
  let removedByCleaning = 0;
  for (const layer of prunable) {
    const mask = selected.get(layer.name)!;
    const forced = layer.name === net.classifier;
    const final = Uint8Array.from(layer.neuronGroups, (g) => kept[g]);
    layer.neuronGroups.forEach((g, j) => {
      const chosen = forced || mask[j] === 1;
      if (!chosen && selectedGroups[g]) keptByCoupling += final[j];
      if ((chosen || selectedGroups[g]) && !final[j]) removedByCleaning += 1;
    });
    keptNeurons.set(layer.name, final);
    if (!final.some((v) => v === 1)) emptiedLayers.push(layer.name);
    if (!layer.neuronGroups.some((g) => selectedGroups[g])) emptiedBySelection.push(layer.name);
  }
  return {
    keptGroups: kept,
    keptNeurons,
    emptiedLayers,
    emptiedBySelection,
    keptByCoupling,
    removedByCleaning,
  };
}
