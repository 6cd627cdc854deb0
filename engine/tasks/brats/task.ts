import type { Sample } from '../../data/dataset.js';
import { BRATS_MODALITIES, bratsReader, findBratsSubjects, type BratsOptions } from './index.js';
import { pasteCrop } from './crop.js';
import type { Triple } from '../../nn/description.js';
import { zooEntry } from '../../nn/zoo/registry.js';
import { bratsDice, regionMasks, type BratsRegion } from './dice.js';
import { hausdorff95 } from '../../train/metrics/hausdorff95.js';
import { gridPrediction } from '../segmentation.js';
import type { TaskModule } from '../task.js';

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

/** BraTS brain tumour segmentation: 4 MRI modalities, labels 0/1/2/4, Dice and HD95 of ET/TC/WT. */
export const bratsTask: TaskModule<'brats', BratsOptions> = {
  name: 'brats',
  reader: bratsReader,
  description: 'Brain MRI (4 modalities) with tumour labels, BraTS layout',
  datasetOptions: (size, evalCrop) => ({ trainCrop: size, evalCrop: evalCrop ?? size }),
  loss: 'crossEntropyDice',
  evaluation: {
    output: 'voxels',
    start(_classes, ignoreLabel) {
      const perSample: Record<string, number>[] = [];
      return {
        add(sample, { labels }) {
          const metrics = bratsSampleMetrics(labels, sample, ignoreLabel);
          perSample.push(metrics);
          return metrics;
        },
        finish() {
          const metrics: Record<string, number> = {};
          for (const key of Object.keys(perSample[0]))
            metrics[key] = perSample.reduce((s, p) => s + p[key], 0) / perSample.length;
          metrics['dice mean'] = (metrics['dice et'] + metrics['dice tc'] + metrics['dice wt']) / 3;
          return metrics;
        },
      };
    },
    /** A crop's labels pasted back into the whole volume (0 outside the crop), with the input's affine. */
    predictionVolume(sample, labels, ignoreLabel) {
      if (!sample.meta.crop || !sample.meta.volume) return gridPrediction(sample, labels, ignoreLabel);
      const volume = sample.meta.volume as Triple;
      const full = pasteCrop(labels, sample.meta.crop as { origin: Triple; size: Triple }, volume);
      return {
        labels: full,
        dims: [volume[2], volume[1], volume[0]],
        affine: sample.meta.affine as number[],
      };
    },
  },
  volumes: {
    /** The subject's four modalities (flair, t1ce, t1, t2) and its segmentation, as published. */
    async sampleFiles(dir, sample) {
      const root = await bratsReader.detect(dir);
      const subject = root ? (await findBratsSubjects(root)).find((s) => s.id === sample) : undefined;
      if (!subject) return undefined;
      return {
        title: 'MRI',
        channels: BRATS_MODALITIES.map((name) => ({ name, file: subject.files[name] })),
        truth: subject.files.seg,
      };
    },
  },
  experimentDefaults: {
    net: 'unet3d-brats',
    prune: { method: 'ranp-f', sparsity: zooEntry('unet3d-brats').paperSparsity },
    train: {
      epochs: 200,
      batchSize: 1,
      optimizer: { kind: 'adam', weightDecay: 1e-4 },
      schedule: { kind: 'step', lr: 1e-3, milestones: [150], gamma: 0.1 },
    },
  },
  /** Noise in [−1, 1) and labels drawn from 0, 1, 2, 4 (those below `classes`). */
  syntheticSample(random, [d, h, w], channels, classes) {
    const voxels = d * h * w;
    const values = [0, 1, 2, 4].filter((c) => c < classes);
    const input = new Float32Array(voxels * channels);
    input.forEach((_, i) => (input[i] = random() * 2 - 1));
    const label = Int32Array.from({ length: voxels }, () => values[Math.floor(random() * values.length)]);
    return { input, label, labelShape: [d, h, w] };
  },
};
