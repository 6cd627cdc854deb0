import type { Sample } from '../../data/dataset.js';
import { ucf101Reader, type Ucf101Options } from './index.js';
import { zooEntry } from '../../nn/zoo/registry.js';
import { clipTop1, videoTop1, type ClipScores } from './top1.js';
import type { TaskModule } from '../task.js';

function videoOf(sample: Sample): string {
  return typeof sample.meta.video === 'string' ? sample.meta.video : sample.id;
}

/** UCF101 action recognition: clips of frames, one class per video, clip and video top-1. */
export const ucf101Task: TaskModule<'ucf101', Ucf101Options> = {
  name: 'ucf101',
  reader: ucf101Reader,
  description: 'Short videos with action labels, UCF101 layout',
  datasetOptions: (size) => ({ size: size[1], clipFrames: size[0] }),
  loss: 'crossEntropy',
  evaluation: {
    output: 'class',
    start() {
      const clips: ClipScores[] = [];
      return {
        add(sample, { labels, logits }) {
          clips.push({ video: videoOf(sample), logits, label: sample.label[0] });
          return { correct: labels[0] === sample.label[0] ? 1 : 0 };
        },
        finish: () => ({ 'clip top1': clipTop1(clips), 'video top1': videoTop1(clips) }),
      };
    },
  },
  experimentDefaults: {
    net: 'mobilenetv2-3d',
    prune: { method: 'ranp-f', sparsity: zooEntry('mobilenetv2-3d').paperSparsity },
    train: {
      epochs: 100,
      batchSize: 8,
      optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-3 },
      schedule: { kind: 'plateau', lr: 0.1, mode: 'max', patience: 10 },
    },
  },
  /** Noise around the reference's pixel mean (frames − 107) and one class per clip. */
  syntheticSample(random, [d, h, w], channels, classes) {
    const input = new Float32Array(d * h * w * channels);
    input.forEach((_, i) => (input[i] = random() * 255 - 107));
    return { input, label: Int32Array.of(Math.floor(random() * classes)), labelShape: [1] };
  },
};
