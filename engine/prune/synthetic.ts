import type { Sample } from '../data/dataset.js';
import type { NetDescription, Triple } from '../nn/description.js';
import { taskModule } from '../tasks/registry.js';
import { createRandom } from '../train/rng.js';

/**
 * A clearly synthetic scoring batch for when no dataset is at hand: seeded noise inputs with
 * labels of the task's form (the task's syntheticSample, engine/tasks/NAME/task.ts). Scores from it
 * carry source 'synthetic'.
 */
export function syntheticSamples(net: NetDescription, inputSize: Triple, count: number, seed = 0): Sample[] {
  const task = taskModule(net.task);
  return Array.from({ length: count }, (_, index) => {
    const random = createRandom(seed * 7919 + index + 1);
    const { input, label, labelShape } = task.syntheticSample(
      random,
      inputSize,
      net.inputChannels,
      net.classes,
    );
    return {
      id: `synthetic-${index}`,
      input,
      inputShape: [...inputSize, net.inputChannels],
      label,
      labelShape,
      meta: { synthetic: true },
    };
  });
}
