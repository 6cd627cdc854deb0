import { DEFAULT_MEMORY_CONVENTION, type MemoryConvention } from '../domain/memory.js';
import type { ResourceName } from '../domain/resources.js';
import type { FeatureShape, LayerKind, NetDescription, Triple } from '../nn/description.js';
import { isPrunable } from '../nn/description.js';
import { layerDef } from '../nn/layers/registry.js';
import { inferShapes, inputShapesOf } from '../nn/shapes.js';
import { numel } from '../nn/window.js';
import type { ResourceTotals as SentResourceTotals } from '../protocol/common.js';

/** Resources of one layer, batch 1, conventions of docs/method.md section 4. */
export interface LayerResources {
  name: string;
  kind: LayerKind;
  prunable: boolean;
  /** Channels the layer reads: the sum over a concat's inputs, else its first input's (the net's for the input node). */
  inChannels: number;
  outChannels: number;
  outputShape: FeatureShape;
  flops: number;
  /** Learnable weights and biases (norm gamma/beta included, running statistics not). */
  params: number;
  /** Output elements when the layer counts as feature-map memory, else 0. */
  memoryElements: number;
}

/** The three resources RANP trades off, of one layer or a whole net at one input size, batch 1. */
export interface ResourceCounts {
  flops: number;
  params: number;
  /** Output feature-map elements (the layers that count as memory, docs/method.md §4). */
  memoryElements: number;
}

/**
 * A net's totals: its counts with the memory also in MB (memoryElements · 4 / 2²⁰, float32). What
 * the protocol sends (engine/protocol/common.ts ResourceTotals) is this without memoryElements.
 */
export interface ResourceTotals extends ResourceCounts, SentResourceTotals {}

export interface ResourceReport {
  net: string;
  inputSize: Triple;
  /** Which outputs memoryElements sums (engine/domain/memory.ts). */
  memoryConvention: MemoryConvention;
  layers: LayerResources[];
  totals: ResourceTotals;
}

/** The per-layer resource RANP reweights with: RANP-f (flops), RANP-m (memory), RANP-p (params). */
export type ResourceMetric = ResourceName;

export function elementsToMB(elements: number): number {
  return (elements * 4) / 2 ** 20;
}

/** The counts with their memory in MB as well. */
export function withMemoryMB(counts: ResourceCounts): ResourceTotals {
  return { ...counts, memoryMB: elementsToMB(counts.memoryElements) };
}

/** The totals as the protocol sends them (flops, params, memoryMB). */
export function sentTotals(counts: ResourceCounts): SentResourceTotals {
  return { flops: counts.flops, params: counts.params, memoryMB: elementsToMB(counts.memoryElements) };
}

/**
 * FLOPs, params and feature-map memory of every layer and in total, at `inputSize` (default the
 * net's), memory in the given convention (default the paper's).
 */
export function countResources(
  net: NetDescription,
  inputSize: Triple = net.inputSize,
  memoryConvention: MemoryConvention = DEFAULT_MEMORY_CONVENTION,
): ResourceReport {
  const shapes = inferShapes(net, inputSize);
  const layers = net.nodes.map((node): LayerResources => {
    const def = layerDef(node);
    const inputs = inputShapesOf(node, shapes, net, inputSize);
    const output = shapes.get(node.name) as FeatureShape;
    return {
      name: node.name,
      kind: node.kind,
      prunable: isPrunable(node),
      inChannels:
        def.channelRole === 'concat' ? inputs.reduce((sum, s) => sum + s.channels, 0) : inputs[0].channels,
      outChannels: output.channels,
      outputShape: output,
      flops: def.flops(node, inputs, output),
      params: def
        .params(node)
        .filter((p) => p.trainable)
        .reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0),
      memoryElements:
        def.countsMemory && !(memoryConvention === 'paper' && node.functional) ? numel(output) : 0,
    };
  });
  const sum = (key: 'flops' | 'params' | 'memoryElements') => layers.reduce((total, l) => total + l[key], 0);
  const memoryElements = sum('memoryElements');
  return {
    net: net.name,
    inputSize,
    memoryConvention,
    layers,
    totals: withMemoryMB({ flops: sum('flops'), params: sum('params'), memoryElements }),
  };
}

/** One resource value per prunable layer, in node order (the r(l) of docs/method.md step 6). */
export function prunableLayerResources(report: ResourceReport, metric: ResourceMetric): Map<string, number> {
  const key = metric === 'memory' ? 'memoryElements' : metric;
  return new Map(report.layers.filter((l) => l.prunable).map((l) => [l.name, l[key]]));
}

/** Pruned / full ratios of the totals. */
export function resourceRatios(
  pruned: ResourceReport,
  full: ResourceReport,
): { flops: number; params: number; memory: number } {
  return {
    flops: pruned.totals.flops / full.totals.flops,
    params: pruned.totals.params / full.totals.params,
    memory: pruned.totals.memoryElements / full.totals.memoryElements,
  };
}
