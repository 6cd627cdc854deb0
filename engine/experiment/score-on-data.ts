import type { Dataset } from '../data/index.js';
import type { NetDescription, TaskName, Triple } from '../nn/description.js';
import { buildModel } from '../nn/model.js';
import { buildNet } from '../nn/zoo/registry.js';
import { scoreWeights } from '../prune/score.js';
import type { WeightScores } from '../prune/types.js';
import type { Progress } from '../util/progress.js';
import { openSplit } from './open-data.js';

/** Which net to score, on which data. */
export interface ScoringSpec {
  /** The dataset's task; it selects the scoring loss. */
  task: TaskName;
  /** Zoo net name. */
  net: string;
  width: number;
  /** Default: the zoo net's own input size. */
  inputSize?: Triple;
  /** A dataset folder (its training split is opened at the input size), or that split already open. */
  data: string | Dataset;
  /** Initialization seed of the scored net, and seed of the data's crops. */
  seed: number;
}

/** The net built for the scoring data (its classes and input channels), and that data. */
export interface ScoringNet {
  net: NetDescription;
  inputSize: Triple;
  data: Dataset;
}

/** Phase "open data" for pruning: opens the scoring split and builds the zoo net for it. */
export async function openScoringNet(spec: ScoringSpec): Promise<ScoringNet> {
  const inputSize = spec.inputSize ?? buildNet(spec.net, { width: spec.width }).inputSize;
  const data =
    typeof spec.data === 'string' ? await openSplit(spec.task, spec.data, 'train', inputSize) : spec.data;
  const net = buildNet(spec.net, {
    width: spec.width,
    inputSize,
    classes: data.classes,
    inputChannels: data.inputChannels,
  });
  return { net, inputSize, data };
}

/**
 * Phase "score": open the data, fit the net to it, and score its weights at initialization
 * (docs/method.md step 3). The experiment, the app's score cache and `ranp prune --data` all
 * score through here.
 */
export async function scoreOnData(
  spec: ScoringSpec & { samples?: number; onProgress?: (progress: Progress) => void },
): Promise<ScoringNet & { scores: WeightScores }> {
  const scoring = await openScoringNet(spec);
  const model = buildModel(scoring.net, { seed: spec.seed });
  try {
    const scores = await scoreWeights(model, scoring.data, {
      task: spec.task,
      samples: spec.samples,
      seed: spec.seed,
      onProgress: spec.onProgress,
    });
    return { ...scoring, scores };
  } finally {
    model.dispose();
  }
}
