import type { CommonDatasetOptions, DatasetReader } from '../data/reader.js';
import type { Sample } from '../data/dataset.js';
import type { TaskName } from '../domain/tasks.js';
import type { Triple } from '../nn/description.js';

/** One evaluated sample: the net's logits and the labels chosen from them. */
export interface SamplePrediction {
  /** Segmentation: per-voxel labels ([D, H, W]); classification: one class. */
  labels: Int32Array;
  /** Segmentation: [D, H, W, classes]; classification: [classes]. */
  logits: Float32Array;
}

/** Collects one evaluation pass's metrics, sample by sample. */
export interface MetricAccumulator {
  /** The sample's own metrics (shown per case, e.g. { iou } or { 'dice et', … }). */
  add(sample: Sample, prediction: SamplePrediction): Record<string, number>;
  /** The pass's metrics; the task's primaryMetric (engine/domain/tasks.ts) among them. */
  finish(): Record<string, number>;
}

/** A label map to write for a segmentation prediction (NIfTI: dims i, j, k and a voxel → world affine). */
export interface PredictionVolume {
  labels: Uint8Array;
  dims: [number, number, number];
  affine: number[];
}

/** How the task's samples are evaluated (engine/train/evaluate.ts runs the pass). */
export interface TaskEvaluation {
  /** 'class': the net gives one logit vector per sample; 'voxels': per-voxel logits (sliding window). */
  output: 'class' | 'voxels';
  /** The labels a sample's prediction may take (ShapeNet: its category's parts); all when absent. */
  allowedLabels?(sample: Sample): readonly number[];
  start(classes: number, ignoreLabel: number | undefined): MetricAccumulator;
  /** The label map written for the sample's prediction; absent: the task writes no predictions. */
  predictionVolume?(sample: Sample, labels: Int32Array, ignoreLabel: number | undefined): PredictionVolume;
}

/** A validation sample's files in its dataset folder: one per image channel, named, and its truth. */
export interface SampleFiles {
  /** What the image is called in the viewer, e.g. 'MRI'. */
  title: string;
  channels: { name: string; file: string }[];
  truth: string;
}

/** What the viewer shows beside a run's predictions, and where it comes from (engine/host/handlers/volume.ts). */
export interface TaskVolumes {
  /** The sample's image and truth files in the dataset folder `dir`; undefined when it has no such sample. */
  sampleFiles?(dir: string, sample: string): Promise<SampleFiles | undefined>;
  /**
   * The truth is the run's evaluation split's labels at its input size, as evaluation.predictionVolume
   * writes them (ShapeNet: a voxelised point cloud), rather than a file of the dataset.
   */
  truthFromSplit?: boolean;
}

/** A synthetic scoring sample's contents (engine/prune/synthetic.ts adds id and shape). */
export interface SyntheticSample {
  input: Float32Array;
  label: Int32Array;
  labelShape: number[];
}

/**
 * Everything the engine knows about one task, in its folder engine/tasks/NAME/ (this module in
 * task.ts; its dataset reader, metrics and bundled-sample maker beside it), registered by one line in
 * engine/tasks/registry.ts. Its renderer-visible facts (label, λ default, headline metric) are its
 * entry in engine/domain/tasks.ts, apart because the renderer may not load the folder's Node code.
 */
export interface TaskModule<Name extends TaskName, Options extends CommonDatasetOptions> {
  name: Name;
  reader: DatasetReader<Options>;
  /** One line for the data page when a folder has no README. */
  description: string;
  /** Reader options that yield samples of the training input size (evalCrop: a validation crop). */
  datasetOptions(size: Triple, evalCrop?: Triple): Options;
  /** The paper's training loss, by its name in engine/train/losses/registry.ts (docs/method.md §3). */
  loss: string;
  evaluation: TaskEvaluation;
  /** What the viewer can show of a validation sample besides the predictions; absent: nothing. */
  volumes?: TaskVolumes;
  /** The paper's experiment settings for the task (docs/method.md §§1, 3), merged under a config. */
  experimentDefaults: Record<string, unknown>;
  /** Seeded noise input with labels of the task's form, for scoring without a dataset. */
  syntheticSample(random: () => number, size: Triple, channels: number, classes: number): SyntheticSample;
}
