import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { Dataset, Sample } from '../data/dataset.js';
import { writeLabelMap } from '../data/nifti/write.js';
import { TASKS } from '../domain/tasks.js';
import type { Triple } from '../nn/description.js';
import type { PredictionVolume } from '../tasks/task.js';
import { taskModule } from '../tasks/registry.js';
import type { Progress } from '../util/progress.js';
import { argmaxLabels, readLogits, slidingWindowLogits } from './inference.js';
import type { Validation } from './loop.js';
import { addToConfusion } from './metrics/confusion.js';
import type { TrainableModel } from './trainable.js';

export interface EvaluateOptions {
  /** Window for segmentation volumes larger than the training patch; default: the dataset's sample size. */
  patch?: Triple;
  overlap?: number;
  /** Evaluate only the first n samples. */
  limit?: number;
  /** Where to write prediction label maps (NIfTI, on the input's grid) for tasks that have them; none when absent. */
  predictionsDir?: string;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface PredictionFile {
  sampleId: string;
  file: string;
}

export interface Evaluation extends Validation {
  /** Rows: truth, columns: prediction, row-major classes × classes. */
  confusion: { classes: number; counts: number[] };
  perSample: { id: string; metrics: Record<string, number> }[];
  predictions: PredictionFile[];
}

/** What evaluation needs of a model: its evaluation-mode forward. */
export type EvaluableModel = Pick<TrainableModel, 'forward'>;

/** Evaluation mode, whatever the task. */
function predictor(model: EvaluableModel) {
  return (x: tf.Tensor5D) => model.forward(x, { training: false, seed: 0 }).logits;
}

/**
 * Runs the net over a split and computes the task's metrics (its evaluation in engine/tasks/NAME/task.ts:
 * ShapeNet class/instance part mIoU, BraTS Dice and HD95 of ET/TC/WT, UCF101 clip/video top-1);
 * plus the confusion matrix and, where the task writes them, prediction label maps.
 */
export async function evaluateModel(
  model: EvaluableModel,
  data: Dataset,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const count = Math.min(options.limit ?? data.length, data.length);
  if (count === 0) throw new Error(`evaluate: the ${data.split} split of ${data.task} has no samples`);
  const task = taskModule(data.task).evaluation;
  const metrics = task.start(data.classes, data.ignoreLabel);
  const confusion = new Float64Array(data.classes * data.classes);
  const perSample: Evaluation['perSample'] = [];
  const predictions: PredictionFile[] = [];
  const predict = predictor(model);
  const started = performance.now();

  for (let i = 0; i < count; i++) {
    if (options.signal?.aborted) throw new Error('evaluation cancelled');
    // A fixed seed: evaluation samples are deterministic crops (readers ignore it for val/test).
    const sample = await data.get(i, 0);
    const logits =
      task.output === 'class'
        ? await readLogits(tf.tidy(() => predict(tf.tensor5d(sample.input, [1, ...sample.inputShape]))))
        : await slidingWindowLogits(predict, sample.input, sample.inputShape, data.classes, {
            patch: options.patch ?? data.sampleSize,
            overlap: options.overlap ?? 0.5,
          });
    const labels = argmaxLabels(logits, data.classes, task.allowedLabels?.(sample));
    addToConfusion(confusion, data.classes, labels, sample.label, data.ignoreLabel);
    perSample.push({ id: sample.id, metrics: metrics.add(sample, { labels, logits }) });
    if (options.predictionsDir && task.predictionVolume) {
      const volume = task.predictionVolume(sample, labels, data.ignoreLabel);
      predictions.push(await writePrediction(options.predictionsDir, sample, volume));
    }
    options.onProgress?.({
      phase: `evaluating ${data.split}`,
      done: i + 1,
      total: count,
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  }

  return {
    metrics: metrics.finish(),
    primary: TASKS[data.task].primaryMetric,
    higherIsBetter: true,
    confusion: { classes: data.classes, counts: Array.from(confusion) },
    perSample,
    predictions,
  };
}

/**
 * The file (and stored artifact) name of a sample's prediction: the id with anything but letters,
 * digits, '.', '_' and '-' replaced by '_' (ShapeNet's '<synset>/<shape>' becomes '<synset>_<shape>').
 */
export function predictionFileName(sampleId: string): string {
  return `${sampleId.replace(/[^A-Za-z0-9._-]/g, '_')}.nii.gz`;
}

/** The prediction's label map as NIfTI, named after the sample. */
async function writePrediction(
  dir: string,
  sample: Sample,
  volume: PredictionVolume,
): Promise<PredictionFile> {
  const file = join(dir, predictionFileName(sample.id));
  await writeLabelMap(file, volume.labels, { dims: volume.dims, affine: volume.affine });
  return { sampleId: sample.id, file };
}
