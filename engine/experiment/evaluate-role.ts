import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, SplitName } from '../data/index.js';
import type { Triple } from '../nn/description.js';
import { buildNet } from '../nn/zoo/registry.js';
import { evaluateModel, type EvaluableModel, type Evaluation } from '../train/evaluate.js';
import { loadCheckpointWeights } from '../train/loop.js';
import type { TrainableModel } from '../train/trainable.js';
import type { Progress } from '../util/progress.js';
import type { ExperimentConfig } from './config.js';
import { openSplit } from './open-data.js';

/** The input size the experiment trains and evaluates at: the config's, else the net's. */
export function experimentInputSize(config: ExperimentConfig): Triple {
  return config.inputSize ?? buildNet(config.net, { width: config.width }).inputSize;
}

/**
 * A split opened for evaluation as the experiment opens its validation split (crop size,
 * normalization, clip length): `ranp eval` uses the same, so it reproduces the stored metrics.
 */
export function openEvaluationSplit(
  config: ExperimentConfig,
  split: SplitName,
  inputSize: Triple,
  dir: string = config.data,
): Promise<Dataset> {
  return openSplit(config.task, dir, split, inputSize, config.eval.cropSize);
}

/** Validation as the config asks for it: sample limit, window overlap, the training patch. */
export function evaluationSettings(config: ExperimentConfig, inputSize: Triple) {
  return { limit: config.eval.samples, overlap: config.eval.overlap, patch: inputSize };
}

/** A validation pass during training. */
export function validateOn(
  model: EvaluableModel,
  val: Dataset,
  config: ExperimentConfig,
  inputSize: Triple,
  signal: AbortSignal | undefined,
): Promise<Evaluation> {
  return evaluateModel(model, val, { ...evaluationSettings(config, inputSize), signal });
}

/**
 * Phase "evaluate": the trained net's final validation, from its best checkpoint when validation
 * chose one, writing prediction label maps into `dir` when the config asks (tasks that segment).
 */
export async function evaluateTrained(
  model: TrainableModel,
  bestCheckpoint: string | undefined,
  val: Dataset,
  config: ExperimentConfig,
  inputSize: Triple,
  dir: string,
  options: { signal?: AbortSignal; onProgress?: (progress: Progress) => void },
): Promise<Evaluation> {
  if (bestCheckpoint && existsSync(bestCheckpoint)) loadCheckpointWeights(model, bestCheckpoint);
  return evaluateModel(model, val, {
    ...evaluationSettings(config, inputSize),
    predictionsDir: config.eval.writePredictions ? join(dir, 'predictions') : undefined,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}
