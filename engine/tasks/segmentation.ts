import type { Sample } from '../data/dataset.js';
import type { PredictionVolume } from './task.js';

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/**
 * A segmentation prediction on the sample's own grid: predicted labels where the truth is labelled,
 * 255 where it carries the ignore label (as the ground truth does), with the sample's affine or
 * the identity.
 */
export function gridPrediction(
  sample: Sample,
  labels: Int32Array,
  ignoreLabel: number | undefined,
): PredictionVolume {
  const [d, h, w] = sample.labelShape;
  const out = new Uint8Array(labels.length);
  for (let v = 0; v < labels.length; v++) out[v] = sample.label[v] === ignoreLabel ? 255 : labels[v];
  const affine = Array.isArray(sample.meta.affine) ? (sample.meta.affine as number[]) : IDENTITY;
  return { labels: out, dims: [w, h, d], affine };
}
