import type { Sample } from '../data/dataset.js';
import type { NetDescription, Triple } from '../nn/description.js';
import { createRandom } from '../train/rng.js';

/**
 * A clearly synthetic scoring batch for when no dataset is at hand: seeded noise inputs with
 * labels of the task's form (ShapeNet: occupied voxels labelled, empty ones 255; BraTS: labels
 * 0, 1, 2, 4; UCF101: one class per clip). Scores from it carry source 'synthetic'.
 */
export function syntheticSamples(net: NetDescription, inputSize: Triple, count: number, seed = 0): Sample[] {
  const [d, h, w] = inputSize;
  const voxels = d * h * w;
  return Array.from({ length: count }, (_, index) => {
    const random = createRandom(seed * 7919 + index + 1);
    const input = new Float32Array(voxels * net.inputChannels);
    let label: Int32Array;
    let labelShape: number[];
    if (net.task === 'ucf101') {
      input.forEach((_, i) => (input[i] = random() * 255 - 107));
      label = Int32Array.of(Math.floor(random() * net.classes));
      labelShape = [1];
    } else if (net.task === 'shapenet') {
      label = new Int32Array(voxels);
      for (let v = 0; v < voxels; v++) {
        const occupied = random() < 0.3;
        input[v] = occupied ? 1 : 0;
        label[v] = occupied ? Math.floor(random() * net.classes) : 255;
      }
      labelShape = [d, h, w];
    } else {
      const classes = [0, 1, 2, 4].filter((c) => c < net.classes);
      input.forEach((_, i) => (input[i] = random() * 2 - 1));
      label = Int32Array.from({ length: voxels }, () => classes[Math.floor(random() * classes.length)]);
      labelShape = [d, h, w];
    }
    return {
      id: `synthetic-${index}`,
      input,
      inputShape: [d, h, w, net.inputChannels],
      label,
      labelShape,
      meta: { synthetic: true },
    };
  });
}
