import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Dataset, Sample } from '../../../engine/data/dataset.js';
import type { TaskName } from '../../../engine/nn/description.js';
import { evaluateModel, type EvaluableModel } from '../../../engine/train/evaluate.js';

await tf.setBackend('cpu');

/** A stand-in net whose prediction is dictated by the input: segmentation logits = one-hot(channel 0). */
function echoModel(classes: number, segmentation: boolean): EvaluableModel {
  return {
    forward: (x) => ({
      logits: segmentation
        ? tf.oneHot(
            x
              .slice([0, 0, 0, 0, 0], [...x.shape.slice(0, 4), 1])
              .squeeze([4])
              .toInt(),
            classes,
          )
        : x.reshape([x.shape[0], classes]),
      statUpdates: new Map(),
    }),
  };
}

/** An in-memory split with given samples (the metrics, not the readers, are under test). */
function memoryDataset(task: TaskName, classes: number, samples: Sample[]): Dataset {
  return {
    task,
    split: 'val',
    length: samples.length,
    sampleSize: samples[0].inputShape.slice(0, 3) as [number, number, number],
    inputChannels: samples[0].inputShape[3],
    classes,
    ignoreLabel: 255,
    get: async (i) => samples[i],
  };
}

const volume = (id: string, category: string, predicted: number[], truth: number[]): Sample => ({
  id,
  input: Float32Array.from(predicted),
  inputShape: [1, 1, predicted.length, 1],
  label: Int32Array.from(truth),
  labelShape: [1, 1, truth.length],
  meta: { category },
});

describe('evaluateModel', () => {
  it('ShapeNet: part mIoU per shape over its category, class and instance averages, confusion', async () => {
    const data = memoryDataset('shapenet', 50, [
      volume('a', 'Mug', [36, 37, 37, 5], [36, 36, 37, 255]), // parts 36: 1/2, 37: 1/2 → 0.5
      volume('b', 'Mug', [36, 37, 37, 37], [36, 37, 37, 37]), // 1
      volume('c', 'Knife', [23, 23, 0, 0], [22, 22, 255, 255]), // parts 22: 0/2, 23: 0/2 → 0
    ]);
    const e = await evaluateModel(echoModel(50, true), data);
    expect(e.metrics['class mIoU']).toBeCloseTo((0.75 + 0) / 2, 12);
    expect(e.metrics['instance mIoU']).toBeCloseTo(0.5, 12);
    expect(e.perSample.map((s) => s.metrics.iou)).toEqual([0.5, 1, 0]);
    const cell = (t: number, p: number) => e.confusion.counts[t * 50 + p];
    expect(cell(36, 37)).toBe(1);
    expect(cell(22, 23)).toBe(2);
    expect(e.confusion.counts.reduce((a, b) => a + b, 0)).toBe(9); // occupied voxels only
  });

  it('BraTS: Dice and HD95 per region, averaged over subjects', async () => {
    const data = memoryDataset('brats', 5, [
      volume('s1', '', [4, 4, 0, 0, 2], [4, 0, 0, 0, 2]),
      volume('s2', '', [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
    ]);
    const e = await evaluateModel(echoModel(5, true), data);
    // s1 ET: pred {0,1}, truth {0} → 2/3; s2 empty/empty → 1
    expect(e.metrics['dice et']).toBeCloseTo((2 / 3 + 1) / 2, 12);
    // s1 ET surfaces: pred {0,1}, truth {0}: distances 0,1 and 0 → p95 of [0,0,1] = 0.9; s2 → 0
    expect(e.metrics['hd95 et']).toBeCloseTo(0.45, 12);
    expect(e.metrics['dice mean']).toBeCloseTo(
      (e.metrics['dice et'] + e.metrics['dice tc'] + e.metrics['dice wt']) / 3,
      12,
    );
  });

  it('UCF101: clip and video top-1', async () => {
    const clip = (video: string, logits: number[], label: number): Sample => ({
      id: `${video}-${logits.join()}`,
      input: Float32Array.from(logits),
      inputShape: [1, 1, 1, 3],
      label: Int32Array.of(label),
      labelShape: [1],
      meta: { video },
    });
    const data = memoryDataset('ucf101', 3, [
      clip('v1', [2, 0, 0], 0),
      clip('v1', [0, 1, 0], 0),
      clip('v2', [0, 0, 3], 1),
    ]);
    const e = await evaluateModel(echoModel(3, false), data);
    expect(e.metrics['clip top1']).toBeCloseTo(1 / 3, 12);
    expect(e.metrics['video top1']).toBeCloseTo(1 / 2, 12);
  });
});
