import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/index.js';
import type { NetDescription, Triple } from '../nn/description.js';
import { buildModel } from '../nn/model.js';
import { criterionFor } from '../prune/criteria/registry.js';
import { materialize } from '../prune/materialize.js';
import { prune } from '../prune/prune.js';
import type { PruneReport } from '../prune/report.js';
import { taskModule } from '../tasks/registry.js';
import type { Progress } from '../util/progress.js';
import { adaptNet } from './adapt.js';
import type { ExperimentConfig } from './config.js';
import { openScoringNet, scoreOnData, type ScoringSpec } from './score-on-data.js';

/** What the prune phase hands to training. */
export interface PrunedForTraining {
  /** The net that was scored and pruned (another task's or size's under transfer / scale-up). */
  scoredNet: NetDescription;
  report: PruneReport;
  /** The pruned net re-targeted to the training data and input size. */
  net: NetDescription;
  /** prune.inherit: the full net's surviving initial weights, for the pruned net to start from. */
  inherited?: Map<string, tf.Tensor>;
}

/**
 * Phase "prune": score (when the method reads scores) and prune the net at initialization,
 * possibly on another dataset and/or at a smaller size, then re-target it for training
 * (transfer: prune.from, scale-up: prune.inputSize and prune.widen).
 */
export async function pruneForTraining(
  config: ExperimentConfig,
  train: Dataset,
  inputSize: Triple,
  onProgress?: (progress: Progress) => void,
): Promise<PrunedForTraining> {
  const from = config.prune.from;
  const retargeted = from !== undefined || config.prune.widen !== 1;
  if (config.prune.inherit && retargeted)
    throw new Error(
      'prune.inherit cannot be combined with transfer (prune.from) or prune.widen: the shapes change',
    );
  // The budget is met by the net as pruned; widening would multiply its cost again.
  if (config.prune.budget && config.prune.widen !== 1)
    throw new Error(
      `prune.budget cannot be combined with prune.widen ${config.prune.widen}: the widened net would not meet the budget; give prune.sparsity instead`,
    );
  const pruneSize = config.prune.inputSize ?? inputSize;
  const spec: ScoringSpec = {
    task: from?.task ?? config.task,
    net: from ? (from.net ?? (taskModule(from.task).experimentDefaults.net as string)) : config.net,
    width: config.width,
    inputSize: pruneSize,
    data: from || config.prune.inputSize ? (from?.data ?? config.data) : train,
    seed: config.seed,
  };
  const { net: scoredNet, scores } = criterionFor(config.prune.method).needsScores
    ? await scoreOnData({ ...spec, samples: config.prune.scoringSamples, onProgress })
    : { ...(await openScoringNet(spec)), scores: undefined };
  const result = prune(scoredNet, scores, {
    method: config.prune.method,
    ...(config.prune.budget ? { budget: config.prune.budget } : { sparsity: config.prune.sparsity }),
    lambda: config.prune.lambda,
    inputSize: pruneSize,
    seed: config.seed,
  });
  let inherited: Map<string, tf.Tensor> | undefined;
  if (config.prune.inherit) {
    // The same seed gives the same initial weights the scores were computed on.
    const full = buildModel(scoredNet, { seed: config.seed });
    try {
      const weights = full.getWeights();
      inherited = materialize(scoredNet, result, { inherit: weights }).weights;
      tf.dispose([...weights.values()]);
    } finally {
      full.dispose();
    }
  }
  const net = adaptNet(result.prunedNet, {
    inputChannels: from ? train.inputChannels : undefined,
    classes: from ? train.classes : undefined,
    widen: config.prune.widen,
    inputSize,
  });
  return { scoredNet, report: result.report, net, inherited };
}
