import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import type { Dataset, Sample } from '../data/dataset.js';
import { pasteCrop } from '../data/brats/crop.js';
import { writeLabelMap } from '../data/nifti/write.js';
import { categoryPartIds, SHAPENET_CATEGORIES } from '../data/shapenet/categories.js';
import type { Triple } from '../nn/description.js';
import type { Progress } from '../util/progress.js';
import { argmaxLabels, readLogits, slidingWindowLogits } from './inference.js';
import type { Validation } from './loop.js';
import { bratsDice, regionMasks, type BratsRegion } from './metrics/brats-dice.js';
import { addToConfusion } from './metrics/confusion.js';
import { hausdorff95 } from './metrics/hausdorff95.js';
import { aggregatePartMiou, shapePartIoU, type ShapeIoU } from './metrics/shapenet-part-miou.js';
import { clipTop1, videoTop1, type ClipScores } from './metrics/top1.js';
import type { TrainableModel } from './trainable.js';

export interface EvaluateOptions {
  /** Window for segmentation volumes larger than the training patch; default: the dataset's sample size. */
  patch?: Triple;
  overlap?: number;
  /** Evaluate only the first n samples. */
  limit?: number;
  /** Where to write prediction label maps (NIfTI, on the input's grid); none when absent. */
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
 * Runs the net over a split and computes the task's metrics (see metrics/): ShapeNet class/instance
 * part mIoU, BraTS Dice and HD95 of ET/TC/WT, UCF101 clip/video top-1; plus the confusion matrix and,
 * for segmentation, prediction label maps.
 */
export async function evaluateModel(
  model: EvaluableModel,
  data: Dataset,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const count = Math.min(options.limit ?? data.length, data.length);
  if (count === 0) throw new Error(`evaluate: the ${data.split} split of ${data.task} has no samples`);
  const confusion = new Float64Array(data.classes * data.classes);
  const perSample: Evaluation['perSample'] = [];
  const predictions: PredictionFile[] = [];
  const shapes: ShapeIoU[] = [];
  const clips: ClipScores[] = [];
  const predict = predictor(model);
  const started = performance.now();

  for (let i = 0; i < count; i++) {
    if (options.signal?.aborted) throw new Error('evaluation cancelled');
    // A fixed seed: evaluation samples are deterministic crops (readers ignore it for val/test).
    const sample = await data.get(i, 0);
    if (data.task === 'ucf101') {
      const logits = await readLogits(
        tf.tidy(() => predict(tf.tensor5d(sample.input, [1, ...sample.inputShape]))),
      );
      clips.push({ video: videoOf(sample), logits, label: sample.label[0] });
      addToConfusion(confusion, data.classes, [argmaxLabels(logits, data.classes)[0]], [sample.label[0]]);
      perSample.push({
        id: sample.id,
        metrics: { correct: argmaxLabels(logits, data.classes)[0] === sample.label[0] ? 1 : 0 },
      });
    } else {
      const logits = await slidingWindowLogits(predict, sample.input, sample.inputShape, data.classes, {
        patch: options.patch ?? data.sampleSize,
        overlap: options.overlap ?? 0.5,
      });
      const parts = data.task === 'shapenet' ? shapenetParts(sample) : undefined;
      const labels = argmaxLabels(logits, data.classes, parts);
      addToConfusion(confusion, data.classes, labels, sample.label, data.ignoreLabel);
      if (data.task === 'shapenet') {
        const iou = shapePartIoU(labels, sample.label, parts!, data.ignoreLabel);
        shapes.push({ category: String(sample.meta.category), iou });
        perSample.push({ id: sample.id, metrics: { iou } });
      } else perSample.push({ id: sample.id, metrics: bratsSampleMetrics(labels, sample, data.ignoreLabel) });
      if (options.predictionsDir)
        predictions.push(await writePrediction(options.predictionsDir, sample, labels, data));
    }
    options.onProgress?.({
      phase: `evaluating ${data.split}`,
      done: i + 1,
      total: count,
      elapsedSeconds: (performance.now() - started) / 1000,
    });
  }

  const confusionOut = { classes: data.classes, counts: Array.from(confusion) };
  if (data.task === 'shapenet') {
    const m = aggregatePartMiou(shapes);
    return {
      metrics: { 'class mIoU': m.classMiou, 'instance mIoU': m.instanceMiou },
      primary: 'class mIoU',
      higherIsBetter: true,
      confusion: confusionOut,
      perSample,
      predictions,
    };
  }
  if (data.task === 'brats') {
    const metrics: Record<string, number> = {};
    for (const key of Object.keys(perSample[0].metrics))
      metrics[key] = perSample.reduce((s, p) => s + p.metrics[key], 0) / perSample.length;
    metrics['dice mean'] = (metrics['dice et'] + metrics['dice tc'] + metrics['dice wt']) / 3;
    return {
      metrics,
      primary: 'dice mean',
      higherIsBetter: true,
      confusion: confusionOut,
      perSample,
      predictions,
    };
  }
  return {
    metrics: { 'clip top1': clipTop1(clips), 'video top1': videoTop1(clips) },
    primary: 'video top1',
    higherIsBetter: true,
    confusion: confusionOut,
    perSample,
    predictions,
  };
}

/** A shape's own parts: from meta.partIds, or its category (name or synset) in the standard table. */
function shapenetParts(sample: Sample): number[] {
  if (Array.isArray(sample.meta.partIds)) return sample.meta.partIds as number[];
  const category = SHAPENET_CATEGORIES.find(
    (c) => c.name === sample.meta.category || c.synset === sample.meta.category,
  );
  if (!category)
    throw new Error(
      `evaluate: ShapeNet sample '${sample.id}' has no known category (meta.category = ${String(sample.meta.category)})`,
    );
  return categoryPartIds(category);
}

function videoOf(sample: Sample): string {
  return typeof sample.meta.video === 'string' ? sample.meta.video : sample.id;
}

/** Voxel spacing (D, H, W) from a row-major voxel→world affine: lengths of its k, j, i columns. */
function spacingOf(affine: unknown): Triple {
  if (!Array.isArray(affine) || affine.length !== 16) return [1, 1, 1];
  const column = (c: number) =>
    Math.hypot(affine[c] as number, affine[4 + c] as number, affine[8 + c] as number);
  return [column(2), column(1), column(0)];
}

function bratsSampleMetrics(
  labels: Int32Array,
  sample: Sample,
  ignoreLabel?: number,
): Record<string, number> {
  const dice = bratsDice(labels, sample.label, ignoreLabel);
  const shape = sample.labelShape as unknown as Triple;
  const spacing = spacingOf(sample.meta.affine);
  const out: Record<string, number> = {};
  for (const region of ['et', 'tc', 'wt'] as BratsRegion[]) {
    out[`dice ${region}`] = dice[region];
    const masks = regionMasks(labels, sample.label, region, ignoreLabel);
    out[`hd95 ${region}`] = hausdorff95(masks.prediction, masks.truth, shape, spacing);
  }
  return out;
}

/**
 * BraTS: the crop's labels pasted back into the whole volume (0 outside the crop), with the input's
 * affine. ShapeNet: the voxel grid itself with an identity affine, predicted part ids on occupied
 * voxels and 255 on empty ones (as in the ground truth).
 */
async function writePrediction(
  dir: string,
  sample: Sample,
  labels: Int32Array,
  data: Dataset,
): Promise<PredictionFile> {
  const file = join(dir, `${sample.id.replace(/[^A-Za-z0-9._-]/g, '_')}.nii.gz`);
  const [d, h, w] = sample.labelShape;
  if (data.task === 'brats' && sample.meta.crop && sample.meta.volume) {
    const volume = sample.meta.volume as Triple;
    const full = pasteCrop(labels, sample.meta.crop as { origin: Triple; size: Triple }, volume);
    await writeLabelMap(file, full, {
      dims: [volume[2], volume[1], volume[0]],
      affine: sample.meta.affine as number[],
    });
  } else {
    const out = new Uint8Array(labels.length);
    for (let v = 0; v < labels.length; v++) out[v] = sample.label[v] === data.ignoreLabel ? 255 : labels[v];
    const affine = Array.isArray(sample.meta.affine)
      ? (sample.meta.affine as number[])
      : [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    await writeLabelMap(file, out, { dims: [w, h, d], affine });
  }
  return { sampleId: sample.id, file };
}
