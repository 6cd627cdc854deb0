import type { Sample } from '../../data/dataset.js';
import { shapenetReader, type ShapenetOptions } from './index.js';
import { categoryPartIds, SHAPENET_CATEGORIES } from './categories.js';
import { zooEntry } from '../../nn/zoo/registry.js';
import { aggregatePartMiou, shapePartIoU, type ShapeIoU } from './part-miou.js';
import { gridPrediction } from '../segmentation.js';
import type { TaskModule } from '../task.js';

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

/** ShapeNet part segmentation: voxelized point clouds, part labels, class/instance part mIoU. */
export const shapenetTask: TaskModule<'shapenet', ShapenetOptions> = {
  name: 'shapenet',
  reader: shapenetReader,
  description: 'Point clouds with part labels, ShapeNet part layout',
  datasetOptions: (size) => ({ grid: size[0] }),
  loss: 'crossEntropy',
  evaluation: {
    output: 'voxels',
    allowedLabels: shapenetParts,
    start(_classes, ignoreLabel) {
      const shapes: ShapeIoU[] = [];
      return {
        add(sample, { labels }) {
          const iou = shapePartIoU(labels, sample.label, shapenetParts(sample), ignoreLabel);
          shapes.push({ category: String(sample.meta.category), iou });
          return { iou };
        },
        finish() {
          const m = aggregatePartMiou(shapes);
          return { 'class mIoU': m.classMiou, 'instance mIoU': m.instanceMiou };
        },
      };
    },
    predictionVolume: gridPrediction,
  },
  volumes: { truthFromSplit: true },
  experimentDefaults: {
    net: 'unet3d-shapenet',
    prune: { method: 'ranp-f', sparsity: zooEntry('unet3d-shapenet').paperSparsity },
    train: {
      epochs: 100,
      batchSize: 4,
      optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
      schedule: { kind: 'exponential', lr: 0.1, rate: 0.04 },
    },
  },
  /** Occupied voxels (30%) labelled with a random part, empty ones 255. */
  syntheticSample(random, [d, h, w], channels, classes) {
    const voxels = d * h * w;
    const input = new Float32Array(voxels * channels);
    const label = new Int32Array(voxels);
    for (let v = 0; v < voxels; v++) {
      const occupied = random() < 0.3;
      input[v] = occupied ? 1 : 0;
      label[v] = occupied ? Math.floor(random() * classes) : 255;
    }
    return { input, label, labelShape: [d, h, w] };
  },
};
