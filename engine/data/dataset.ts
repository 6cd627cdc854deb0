import type { TaskName, Triple } from '../nn/description.js';

/**
 * One training/evaluation sample as plain typed arrays (the data layer does not depend on tfjs).
 * Volumes are channels-last in (D, H, W, C) order, matching the engine's NDHWC tensors;
 * D is depth/time, then height, then width.
 */
export interface Sample {
  /** Stable id: subject name, shape id, or video name + clip index. */
  id: string;
  input: Float32Array;
  /** [D, H, W, C] */
  inputShape: [number, number, number, number];
  /**
   * Segmentation: one label per voxel ([D, H, W], Int32Array, ignore label 255).
   * Classification: one class index (length 1).
   */
  label: Int32Array;
  labelShape: number[];
  /** Reader-specific facts the metrics need, e.g. ShapeNet category, BraTS affine and crop box. */
  meta: Record<string, unknown>;
}

export type SplitName = 'train' | 'val' | 'test';

/** A streaming dataset: samples are read on demand, never all held in memory. */
export interface Dataset {
  task: TaskName;
  split: SplitName;
  /** Number of samples in one pass (an epoch). */
  readonly length: number;
  /** Sample i of the pass; random crops/augmentation draw from `seed` so a pass is reproducible. */
  get(index: number, seed: number): Promise<Sample>;
  /** The index of the sample with this id, -1 if none; readers that list their samples by id have it. */
  indexOf?(id: string): number;
  /** Spatial size of the samples this dataset yields (for resource counting). */
  readonly sampleSize: Triple;
  readonly inputChannels: number;
  readonly classes: number;
  /** Label value that losses and metrics ignore (255), if any. */
  readonly ignoreLabel?: number;
}

/** A problem found in a dataset folder: always names the file and what was wrong. */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'DataError';
  }
}
