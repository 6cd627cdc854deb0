import type { NetDescription, TaskName, Triple } from '../nn/description.js';
import type { MemoryConvention } from '../domain/memory.js';
import type { ResourceName } from '../domain/resources.js';
import type { ResourceCounts } from '../resources/count.js';

/** |g ⊙ w| of one prunable layer's weight tensor, averaged over the scoring samples. */
export interface LayerWeightScores {
  /** Shape of the layer's weight parameter (the ParamSpec's shape). */
  shape: number[];
  /** Axis of `shape` indexed by the layer's output channel (neuron). */
  outAxis: number;
  /** Row-major, finite and non-negative. */
  values: Float32Array;
}

/** Weight sensitivities of every prunable layer of one net (docs/method.md step 3). */
export interface WeightScores {
  /** Zoo name of the net the scores belong to (NetDescription.name). */
  net: string;
  task: TaskName;
  /** Number of samples averaged (0 for scores written without data, e.g. synthetic). */
  samples: number;
  /** Spatial size of the scoring samples. */
  inputSize: Triple;
  /** Where the scores came from: 'samples', 'synthetic', or another tool's name. */
  source: string;
  /** Keyed by prunable layer name, in node order. */
  layers: Map<string, LayerWeightScores>;
}

/** How one neuron's weight scores are reduced to one number (docs/method.md step 4). */
export const AGGREGATIONS = ['sum', 'mean', 'max'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Per prunable layer, one value per output channel. Keyed by layer name, in node order. */
export type NeuronScores = Map<string, Float64Array>;

/** Per prunable layer, 1 where a neuron is kept. Keyed by layer name, in node order. */
export type NeuronMask = Map<string, Uint8Array>;

export type ResourceKind = ResourceName;

/** A resource target: a fraction of the full net's count, or an absolute count (FLOPs, bytes, params). */
export interface ResourceBudget {
  resource: ResourceKind;
  /** Fraction of the full net (0..1] when `relative`, else an absolute amount (memory in bytes of float32). */
  value: number;
  relative: boolean;
}

export interface NetResources {
  total: ResourceCounts;
  /** Which outputs the memory counts sum (engine/domain/memory.ts); absent from a custom counter. */
  memoryConvention?: MemoryConvention;
  /** Per node name (nodes that contribute). */
  perLayer: Map<string, ResourceCounts>;
}

/** Counts one net's resources; the default is engine/resources' counter. */
export type ResourceCounter = (net: NetDescription, inputSize: Triple) => NetResources;
