import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/dataset.js';
import type { Progress } from '../util/progress.js';
import { loadBatch } from './batch.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { createOptimizer, type Optimizer, type OptimizerSpec } from './optimizers/registry.js';
import { deriveSeed, epochOrder, SeedPurpose } from './rng.js';
import { createSchedule, type ScheduleSpec, type ScheduleState } from './schedules/registry.js';
import type { LossFn, TrainableModel } from './trainable.js';
import type { WeightEntry } from '../nn/weights.js';

export interface Validation {
  metrics: Record<string, number>;
  /** The metric that decides "best" and early stopping. */
  primary: string;
  higherIsBetter: boolean;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
  val?: Record<string, number>;
}

export interface TrainLoopOptions {
  model: TrainableModel;
  data: Dataset;
  loss: LossFn;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Samples per epoch (a prefix of each epoch's shuffled order); all when absent. */
  samplesPerEpoch?: number;
  shuffle?: boolean;
  /** Validate every N epochs (and after the last); 0 or no `validate` → never. */
  validateEvery?: number;
  validate?: (model: TrainableModel) => Promise<Validation>;
  /** Stop after this many validations without improvement of the primary metric. */
  earlyStopPatience?: number;
  /** Where last.ckpt and best.ckpt live; no checkpoints without it. */
  checkpointDir?: string;
  /** Also checkpoint inside an epoch every N steps (a kill then loses at most N steps). */
  checkpointEverySteps?: number;
  /** Continue from checkpointDir/last.ckpt when it exists. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** After every finished epoch (store.recordEpoch hooks in here). */
  onEpoch?: (record: EpochRecord) => void;
  onLog?: (message: string) => void;
  /** Which net this is, for messages (e.g. 'pruned net (unet3d-brats)'). */
  name?: string;
  /** Activation checkpointing: less memory per step, one more forward of most layers (engine/nn/backprop.ts). */
  recomputeActivations?: boolean;
}

/** Training met a NaN or ±Inf loss, gradient or weight and stopped before recording anything from it. */
export class NonFiniteTrainingError extends Error {
  override name = 'NonFiniteTrainingError';
  constructor(
    readonly net: string,
    /** 1-based. */
    readonly epoch: number,
    /** 1-based step of the epoch. */
    readonly step: number,
    /** 'loss', "gradient of 'layer.param'" or "weight 'layer.param'". */
    readonly what: string,
  ) {
    super(
      `train: ${net} stopped at epoch ${epoch}, step ${step}: the ${what} is not finite (NaN or ±Inf); ` +
        'lower the learning rate, or look for NaN/Inf input with ranp data check',
    );
  }
}

export type TrainOutcome = 'completed' | 'early-stopped' | 'cancelled';

export interface TrainResult {
  outcome: TrainOutcome;
  history: EpochRecord[];
  best: { epoch: number; value: number; metrics: Record<string, number> } | null;
  steps: number;
  /** Mean wall time of a training step (forward, backward, update) in this process, seconds. */
  secondsPerStep: number;
  /** Most bytes held by live tensors at any point of any step (sampled inside every layer's forward and backward). */
  peakTensorBytes: number;
  /** Largest process RSS seen during training. */
  peakRssBytes: number;
  lastCheckpoint?: string;
  bestCheckpoint?: string;
}

/** Checkpoint metadata: everything besides tensors that decides what happens next. */
interface LoopState {
  format: 'ranp-train-state';
  version: 1;
  seed: number;
  /** Epoch in progress (== epochs when training is over). */
  epoch: number;
  /** Batches of `epoch` already done. */
  stepInEpoch: number;
  globalStep: number;
  epochLossSum: number;
  epochSeconds: number;
  schedule: ScheduleState;
  optimizerKind: string;
  optimizerScalars: Record<string, number>;
  history: EpochRecord[];
  best: TrainResult['best'];
  validationsWithoutImprovement: number;
  trainSeconds: number;
  finished: TrainOutcome | null;
}

const WEIGHT_PREFIX = 'w/';
const OPTIMIZER_PREFIX = 'opt/';

/** Optimizer steps of `epochs` epochs over `samples` training samples (samplesPerEpoch caps an epoch). */
export function trainingSteps(
  samples: number,
  o: { samplesPerEpoch?: number; batchSize: number },
  epochs: number,
): number {
  return epochs * Math.ceil(Math.min(o.samplesPerEpoch ?? samples, samples) / o.batchSize);
}

/**
 * Trains `model` in place. Reproducible and resumable: the data order comes from (seed, epoch), crops
 * from (seed, epoch, index), dropout from (seed, step); checkpoints hold weights, running statistics,
 * optimizer and schedule state and the position in the epoch, so a resumed run ends bit-identical to
 * an uninterrupted one (tfjs cpu kernels are deterministic).
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainResult> {
  const o = options;
  if (!(o.epochs > 0) || !(o.batchSize > 0))
    throw new Error(`train: epochs (${o.epochs}) and batchSize (${o.batchSize}) must be positive`);
  if (o.data.length === 0)
    throw new Error(`train: the ${o.data.split} split of ${o.data.task} has no samples`);
  const samplesPerEpoch = Math.min(o.samplesPerEpoch ?? o.data.length, o.data.length);
  const stepsPerEpoch = trainingSteps(o.data.length, o, 1);
  const missing = o.model.trainableKeys.filter((k) => !o.model.variables.has(k));
  if (missing.length) throw new Error(`train: trainable keys without a variable: ${missing.join(', ')}`);

  const netName = o.name ?? 'the net';
  const optimizer = createOptimizer(o.optimizer);
  const schedule = createSchedule(o.schedule);
  const lastPath = o.checkpointDir ? join(o.checkpointDir, 'last.ckpt') : undefined;
  const bestPath = o.checkpointDir ? join(o.checkpointDir, 'best.ckpt') : undefined;
  if (o.checkpointDir) mkdirSync(o.checkpointDir, { recursive: true });

  let state: LoopState = {
    format: 'ranp-train-state',
    version: 1,
    seed: o.seed,
    epoch: 0,
    stepInEpoch: 0,
    globalStep: 0,
    epochLossSum: 0,
    epochSeconds: 0,
    schedule: schedule.getState(),
    optimizerKind: optimizer.kind,
    optimizerScalars: {},
    history: [],
    best: null,
    validationsWithoutImprovement: 0,
    trainSeconds: 0,
    finished: null,
  };
  if (o.resume && lastPath && existsSync(lastPath)) {
    state = restore(lastPath, o, optimizer);
    schedule.setState(state.schedule);
    o.onLog?.(
      `resumed from ${lastPath}: epoch ${state.epoch + 1}, step ${state.stepInEpoch}/${stepsPerEpoch}`,
    );
  }

  const save = async () => {
    if (!lastPath) return;
    state.schedule = schedule.getState();
    const opt = optimizer.getState();
    state.optimizerScalars = opt.scalars;
    const tensors = new Map<string, tf.Tensor>();
    for (const [k, v] of o.model.variables) tensors.set(WEIGHT_PREFIX + k, v);
    for (const [k, v] of opt.slots) tensors.set(OPTIMIZER_PREFIX + k, v);
    try {
      await writeCheckpoint(lastPath, state, tensors);
    } finally {
      for (const t of opt.slots.values()) t.dispose();
    }
  };

  const trainable = o.model.trainableKeys.map((k) => o.model.variables.get(k) as tf.Variable);
  const sessionStart = performance.now();
  const trainSecondsBefore = state.trainSeconds;
  let stepSecondsSum = 0;
  let stepsHere = 0;
  let peakTensorBytes = 0;
  let peakRssBytes = process.memoryUsage().rss;

  try {
    while (state.epoch < o.epochs && state.finished === null) {
      const epoch = state.epoch;
      const lr = schedule.lrFor(epoch);
      const order = epochOrder(o.data.length, o.seed, epoch, o.shuffle ?? true).slice(0, samplesPerEpoch);
      for (let step = state.stepInEpoch; step < stepsPerEpoch; step++) {
        if (o.signal?.aborted) {
          state.finished = null;
          await save();
          return finish('cancelled');
        }
        const started = performance.now();
        const batch = await loadBatch(
          o.data,
          order.slice(step * o.batchSize, (step + 1) * o.batchSize),
          o.seed,
          epoch,
        );
        const dropoutSeed = deriveSeed(o.seed, SeedPurpose.dropout, state.globalStep);
        const {
          loss,
          grads: namedGrads,
          statUpdates,
          peakBytes,
        } = o.model.gradients(batch.x, (logits) => o.loss(logits, batch.labels), {
          seed: dropoutSeed,
          checkpoint: o.recomputeActivations,
        });
        peakTensorBytes = Math.max(peakTensorBytes, peakBytes);
        const lossValue = (await loss.data())[0];
        const badGradient = Number.isFinite(lossValue) ? await firstNonFinite(namedGrads) : undefined;
        if (!Number.isFinite(lossValue) || badGradient !== undefined) {
          tf.dispose([loss, batch.x, batch.labels, ...namedGrads.values(), ...statUpdates.values()]);
          throw new NonFiniteTrainingError(
            netName,
            epoch + 1,
            step + 1,
            badGradient === undefined ? `loss (${lossValue})` : `gradient of '${badGradient}'`,
          );
        }
        optimizer.apply(o.model.variables, namedGrads, lr);
        for (const [key, t] of statUpdates) {
          const variable = o.model.variables.get(key);
          if (!variable) throw new Error(`train: running statistic '${key}' has no variable`);
          variable.assign(t);
        }
        tf.dispose([loss, batch.x, batch.labels, ...namedGrads.values(), ...statUpdates.values()]);

        const seconds = (performance.now() - started) / 1000;
        stepSecondsSum += seconds;
        stepsHere++;
        peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
        state.epochLossSum += lossValue * batch.samples.length;
        state.epochSeconds += seconds;
        state.stepInEpoch = step + 1;
        state.globalStep++;
        state.trainSeconds = trainSecondsBefore + (performance.now() - sessionStart) / 1000;
        const samplesDone = Math.min(state.stepInEpoch * o.batchSize, samplesPerEpoch);
        o.onProgress?.({
          phase: `epoch ${epoch + 1}/${o.epochs}`,
          done: epoch * stepsPerEpoch + state.stepInEpoch,
          total: o.epochs * stepsPerEpoch,
          elapsedSeconds: state.trainSeconds,
          figures: {
            loss: state.epochLossSum / samplesDone,
            'samples/s': samplesDone / state.epochSeconds,
            lr,
          },
        });
        if (
          o.checkpointEverySteps &&
          state.stepInEpoch % o.checkpointEverySteps === 0 &&
          state.stepInEpoch < stepsPerEpoch
        )
          await save();
      }

      // A finite but huge last update can still overflow a weight; nothing is validated or recorded from it.
      const badWeight = await firstNonFinite(new Map(o.model.trainableKeys.map((k, i) => [k, trainable[i]])));
      if (badWeight !== undefined)
        throw new NonFiniteTrainingError(netName, epoch + 1, stepsPerEpoch, `weight '${badWeight}'`);
      const record: EpochRecord = {
        epoch: epoch + 1,
        loss: state.epochLossSum / samplesPerEpoch,
        lr,
        seconds: state.epochSeconds,
        samplesPerSecond: samplesPerEpoch / state.epochSeconds,
      };
      const validateEvery = o.validateEvery ?? 1;
      const validating =
        o.validate && validateEvery > 0 && ((epoch + 1) % validateEvery === 0 || epoch + 1 === o.epochs);
      if (validating) {
        o.onProgress?.({
          phase: `validating after epoch ${epoch + 1}`,
          done: 0,
          total: 1,
          elapsedSeconds: 0,
        });
        const v = await o.validate!(o.model);
        const value = v.metrics[v.primary];
        if (value === undefined)
          throw new Error(`train: validation did not report its primary metric '${v.primary}'`);
        record.val = v.metrics;
        const improved =
          !state.best || (v.higherIsBetter ? value > state.best.value : value < state.best.value);
        if (improved) {
          state.best = { epoch: epoch + 1, value, metrics: v.metrics };
          state.validationsWithoutImprovement = 0;
          if (bestPath)
            await writeCheckpoint(bestPath, { epoch: epoch + 1, metrics: v.metrics }, weightTensors(o.model));
        } else state.validationsWithoutImprovement++;
        schedule.observe(value);
      } else if (!o.validate) schedule.observe(record.loss);

      state.history.push(record);
      state.epoch = epoch + 1;
      state.stepInEpoch = 0;
      state.epochLossSum = 0;
      state.epochSeconds = 0;
      if (o.earlyStopPatience && state.validationsWithoutImprovement >= o.earlyStopPatience) {
        state.finished = 'early-stopped';
        o.onLog?.(
          `early stop after epoch ${epoch + 1}: no improvement in ${o.earlyStopPatience} validations`,
        );
      }
      await save();
      o.onEpoch?.(record);
    }
    return finish(state.finished ?? 'completed');
  } finally {
    optimizer.dispose();
  }

  function finish(outcome: TrainOutcome): TrainResult {
    return {
      outcome,
      history: state.history,
      best: state.best,
      steps: state.globalStep,
      secondsPerStep: stepsHere ? stepSecondsSum / stepsHere : 0,
      peakTensorBytes,
      peakRssBytes,
      lastCheckpoint: lastPath,
      bestCheckpoint: bestPath && state.best ? bestPath : undefined,
    };
  }
}

/**
 * The key of the first tensor holding NaN or ±Inf, from one read of every tensor's sum (NaN and
 * Inf survive a sum; a finite sum can only overflow for values near float32's limit, a blow-up too).
 */
async function firstNonFinite(tensors: ReadonlyMap<string, tf.Tensor>): Promise<string | undefined> {
  if (tensors.size === 0) return undefined;
  const sums = tf.tidy(() => tf.stack([...tensors.values()].map((t) => tf.sum(t))));
  const values = await sums.data();
  sums.dispose();
  const at = values.findIndex((v) => !Number.isFinite(v));
  return at < 0 ? undefined : [...tensors.keys()][at];
}

function weightTensors(model: TrainableModel): Map<string, tf.Tensor> {
  return new Map([...model.variables].map(([k, v]) => [WEIGHT_PREFIX + k, v]));
}

/** Loads weights and optimizer state into the live objects; returns the loop state. */
function restore(path: string, o: TrainLoopOptions, optimizer: Optimizer): LoopState {
  const { meta, tensors } = readCheckpoint<LoopState>(path);
  try {
    if (meta.format !== 'ranp-train-state' || meta.version !== 1)
      throw new Error(`checkpoint ${path}: not a version-1 training state`);
    if (meta.seed !== o.seed)
      throw new Error(`checkpoint ${path}: written with seed ${meta.seed}, this run uses ${o.seed}`);
    loadWeightsInto(o.model, tensors, path);
    const slots = new Map<string, tf.Tensor>();
    for (const [k, t] of tensors)
      if (k.startsWith(OPTIMIZER_PREFIX)) slots.set(k.slice(OPTIMIZER_PREFIX.length), t);
    optimizer.setState({ kind: meta.optimizerKind, scalars: meta.optimizerScalars, slots });
    return meta;
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/** Assigns checkpointed weights ('w/<key>') to the model's variables; every variable must be present with its shape. */
export function loadWeightsInto(
  model: TrainableModel,
  tensors: ReadonlyMap<string, tf.Tensor>,
  source: string,
): void {
  for (const [key, variable] of model.variables) {
    const t = tensors.get(WEIGHT_PREFIX + key);
    if (!t) throw new Error(`${source}: no weights for '${key}'`);
    if (t.shape.join('x') !== variable.shape.join('x'))
      throw new Error(
        `${source}: '${key}' has shape [${t.shape.join('x')}], the net needs [${variable.shape.join('x')}]`,
      );
    variable.assign(t);
  }
}

/**
 * Every weight of a last.ckpt or best.ckpt file ('w/<key>', running statistics included) as plain
 * values keyed like the model's variables, without building a model: what an export writes.
 */
export async function checkpointWeights(path: string): Promise<Map<string, WeightEntry>> {
  const { tensors } = readCheckpoint<unknown>(path);
  try {
    const weights = new Map<string, WeightEntry>();
    for (const [key, t] of tensors)
      if (key.startsWith(WEIGHT_PREFIX))
        weights.set(key.slice(WEIGHT_PREFIX.length), {
          shape: t.shape,
          values: Float32Array.from(await t.data()),
        });
    return weights;
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}

/** Loads the weights of a last.ckpt or best.ckpt file into `model`. */
export function loadCheckpointWeights(model: TrainableModel, path: string): void {
  const { tensors } = readCheckpoint<unknown>(path);
  try {
    loadWeightsInto(model, tensors, path);
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
