import * as tf from '@tensorflow/tfjs';
import { mkdirSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { selectBackend, parseBackendName } from '../backend/index.js';
import { openDataset, type Dataset, type SplitName } from '../data/index.js';
import type { NetDescription, TaskName, Triple } from '../nn/description.js';
import { buildModel, type NetModel } from '../nn/model.js';
import { buildNet } from '../nn/zoo/registry.js';
import { methodInfo } from '../prune/criteria/registry.js';
import { materialize } from '../prune/materialize.js';
import { prune } from '../prune/prune.js';
import type { PruneReport } from '../prune/report.js';
import { countNetResources } from '../prune/resources.js';
import { scoreWeights } from '../prune/score.js';
import type { Store } from '../store/index.js';
import { evaluateModel, type Evaluation } from '../train/evaluate.js';
import { loadCheckpointWeights, trainLoop, type TrainResult } from '../train/loop.js';
import { lossFor } from '../train/losses/registry.js';
import { assertTrainingFits } from '../train/memory-check.js';
import { trainableNet } from '../train/net-model.js';
import type { Progress } from '../util/progress.js';
import { adaptNet } from './adapt.js';
import { openRoleRun, recordCheckpointedEpochs, recordTrainingEpoch } from './resume.js';
import { resolveConfig, TASK_DEFAULTS, type ExperimentConfig } from './config.js';
import { recordEvaluationArtifacts } from './record-evaluation.js';
import { stoppedStatus } from './interrupt.js';
import { roleRunInput, type NetRole } from './role-run.js';

export { resolveConfig, ConfigError, type ExperimentConfig, type ExperimentConfigInput } from './config.js';

export interface ExperimentOptions {
  onProgress?: (progress: Progress) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
  /** Records runs, epochs, artifacts (predictions, nets, checkpoints) when given. */
  store?: Store;
  /** Called as soon as a run exists in the store (the app links to it). */
  onRun?: (runId: number, role: NetRole) => void;
  /** Checkpoints and predictions without a store; default a new temp folder. */
  workDir?: string;
  /** Continue the runs whose checkpoints are in workDir (after a crash or cancel). */
  resume?: boolean;
  /**
   * Runs a job queue created on submit (status queued, or interrupted before they started): each
   * role continues its row instead of creating one, so the run list showed them while they waited.
   */
  waitingRuns?: Partial<Record<NetRole, number>>;
}

export type { NetRole } from './role-run.js';
export { queueExperimentRuns } from './role-run.js';
export { InterruptRequest } from './interrupt.js';

export interface NetResourcesSummary {
  flops: number;
  params: number;
  /** Feature-map memory, MB of float32 at batch 1 (docs/method.md section 4). */
  memoryMB: number;
}

export interface NetRunResult {
  role: NetRole;
  runId?: number;
  net: NetDescription;
  /** At the training input size, batch 1. */
  resources: NetResourcesSummary;
  training: Omit<TrainResult, 'lastCheckpoint' | 'bestCheckpoint'>;
  /** Final validation metrics (best checkpoint when validation ran, else last weights). */
  metrics: Record<string, number>;
  primaryMetric: string;
  confusion: Evaluation['confusion'];
  predictions: Evaluation['predictions'];
  checkpoint?: string;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  backend: string;
  inputSize: Triple;
  prune: { report: PruneReport; sparsity: number; realizedSparsity: number };
  unpruned?: NetRunResult;
  pruned: NetRunResult;
  /** pruned / unpruned (only with both runs). */
  ratios?: Record<
    'flops' | 'params' | 'memory' | 'secondsPerStep' | 'peakTensorBytes' | 'peakRssBytes',
    number
  >;
  /** pruned − unpruned per validation metric (only with both runs). */
  metricGaps?: Record<string, number>;
  outcome: 'completed' | 'cancelled';
}

const FLOAT_MB = 4 / 2 ** 20;

function datasetOptions(task: TaskName, size: Triple, evalCrop?: Triple) {
  if (task === 'brats') return { trainCrop: size, evalCrop: evalCrop ?? size };
  if (task === 'shapenet') return { grid: size[0] };
  return { size: size[1], clipFrames: size[0] };
}

/** A split of the task's dataset, cropped/voxelized/clipped to the training input size. */
export async function openSplit(
  task: TaskName,
  dir: string,
  split: SplitName,
  size: Triple,
  evalCrop?: Triple,
): Promise<Dataset> {
  return openDataset(task, dir, split, datasetOptions(task, size, evalCrop));
}

function summarize(net: NetDescription, size: Triple): NetResourcesSummary {
  const { total } = countNetResources(net, size);
  return { flops: total.flops, params: total.params, memoryMB: total.memoryElements * FLOAT_MB };
}

/**
 * One experiment as in the paper: score and prune the net at initialization, then train the unpruned
 * and the pruned net under identical conditions (same seed, data order, epochs, optimizer), evaluate
 * both, and compare accuracy and cost. Transfer (prune.from) and scale-up (prune.inputSize,
 * prune.widen) re-target the pruned net before training.
 */
export async function runExperiment(
  rawConfig: unknown,
  options: ExperimentOptions = {},
): Promise<ExperimentResult> {
  const config = resolveConfig(rawConfig);
  const log = options.onLog ?? (() => {});
  const backend = await selectBackend(
    config.backend ? { prefer: parseBackendName(config.backend, 'backend') } : {},
  );
  log(`backend: ${backend.chosen}${backend.native ? ' (native kernels)' : ''}`);

  const defaultNet = buildNet(config.net, { width: config.width });
  const inputSize = config.inputSize ?? defaultNet.inputSize;
  const train = await openSplit(config.task, config.data, 'train', inputSize);
  const val = await openSplit(config.task, config.data, 'val', inputSize, config.eval.cropSize);
  const fullNet = buildNet(config.net, {
    width: config.width,
    inputSize,
    classes: train.classes,
    inputChannels: train.inputChannels,
  });
  const checkFits = (net: NetDescription, what: string) => {
    const verdict = assertTrainingFits(
      { net, inputSize, batch: config.train.batchSize, optimizer: config.train.optimizer },
      { what, tensorMemory: backend.tensorMemory },
    );
    if (verdict)
      log(
        `${what}: predicted training peak ${(verdict.neededBytes / 2 ** 20).toFixed(0)} MiB of ${(verdict.availableBytes / 2 ** 20).toFixed(0)} MiB available`,
      );
  };
  // Before minutes of scoring: the unpruned baseline is the largest net the experiment trains.
  if (config.trainUnpruned) checkFits(fullNet, 'unpruned net');

  // Prune (possibly on another dataset and/or at a smaller size).
  const from = config.prune.from;
  const pruneTask = from?.task ?? config.task;
  const pruneSize = config.prune.inputSize ?? inputSize;
  const scoringData =
    from || config.prune.inputSize
      ? await openSplit(pruneTask, from?.data ?? config.data, 'train', pruneSize)
      : train;
  const pruneNetName = from ? (from.net ?? (TASK_DEFAULTS[from.task].net as string)) : config.net;
  const pruneNet = buildNet(pruneNetName, {
    width: config.width,
    inputSize: pruneSize,
    classes: scoringData.classes,
    inputChannels: scoringData.inputChannels,
  });
  const scoringModel = buildModel(pruneNet, { seed: config.seed });
  let report: PruneReport;
  let prunedNet: NetDescription;
  let inherited: Map<string, tf.Tensor> | undefined;
  try {
    const scores = methodInfo(config.prune.method).needsScores
      ? await scoreWeights(scoringModel, scoringData, {
          task: pruneTask,
          samples: config.prune.scoringSamples,
          seed: config.seed,
          onProgress: options.onProgress,
        })
      : undefined;
    const result = prune(pruneNet, scores, {
      method: config.prune.method,
      sparsity: config.prune.sparsity,
      lambda: config.prune.lambda,
      inputSize: pruneSize,
      seed: config.seed,
    });
    report = result.report;
    const retargeted = from !== undefined || config.prune.widen !== 1;
    if (config.prune.inherit) {
      if (retargeted)
        throw new Error(
          'prune.inherit cannot be combined with transfer (prune.from) or prune.widen: the shapes change',
        );
      const full = scoringModel.getWeights();
      inherited = materialize(pruneNet, result, { inherit: full }).weights;
      tf.dispose([...full.values()]);
    }
    prunedNet = adaptNet(result.prunedNet, {
      inputChannels: from ? train.inputChannels : undefined,
      classes: from ? train.classes : undefined,
      widen: config.prune.widen,
      inputSize,
    });
  } finally {
    scoringModel.dispose();
  }
  log(
    `pruned ${pruneNet.name} with ${config.prune.method} at sparsity ${config.prune.sparsity}: ${report.summary}`,
  );
  checkFits(prunedNet, 'pruned net');

  const workDir =
    options.workDir ?? (options.store ? undefined : mkdtempSync(join(tmpdir(), 'ranp-experiment-')));
  const roles: NetRole[] = config.trainUnpruned ? ['unpruned', 'pruned'] : ['pruned'];
  const results: Partial<Record<NetRole, NetRunResult>> = {};
  let parentRunId: number | undefined;
  let cancelled = false;
  try {
    for (const role of roles) {
      const net = role === 'pruned' ? prunedNet : fullNet;
      const run = await trainAndEvaluate({
        role,
        net,
        config,
        train,
        val,
        inputSize,
        options,
        workDir,
        parentRunId,
        inherited: role === 'pruned' ? inherited : undefined,
        report,
        backend: backend.chosen,
      });
      results[role] = run;
      if (role === 'unpruned') parentRunId = run.runId;
      if (run.training.outcome === 'cancelled') {
        cancelled = true;
        break;
      }
    }
  } finally {
    if (inherited) tf.dispose([...inherited.values()]);
  }

  const pruned = results.pruned;
  const unpruned = results.unpruned;
  const base = {
    config,
    backend: backend.chosen,
    inputSize,
    prune: { report, sparsity: config.prune.sparsity, realizedSparsity: report.realizedSparsity },
  };
  if (!pruned) return { ...base, unpruned, pruned: unpruned as NetRunResult, outcome: 'cancelled' };
  const comparison =
    unpruned && !cancelled
      ? {
          ratios: {
            flops: pruned.resources.flops / unpruned.resources.flops,
            params: pruned.resources.params / unpruned.resources.params,
            memory: pruned.resources.memoryMB / unpruned.resources.memoryMB,
            secondsPerStep: pruned.training.secondsPerStep / unpruned.training.secondsPerStep,
            peakTensorBytes: pruned.training.peakTensorBytes / unpruned.training.peakTensorBytes,
            peakRssBytes: pruned.training.peakRssBytes / unpruned.training.peakRssBytes,
          },
          metricGaps: Object.fromEntries(
            Object.keys(pruned.metrics).map((k) => [k, pruned.metrics[k] - (unpruned.metrics[k] ?? NaN)]),
          ),
        }
      : {};
  return { ...base, unpruned, pruned, ...comparison, outcome: cancelled ? 'cancelled' : 'completed' };
}

/** One role's training run of an experiment: what trainAndEvaluate needs. */
interface RoleTraining {
  role: NetRole;
  net: NetDescription;
  config: ExperimentConfig;
  train: Dataset;
  val: Dataset;
  inputSize: Triple;
  options: ExperimentOptions;
  workDir: string | undefined;
  parentRunId: number | undefined;
  /** Weights the pruned net starts from (transfer), else undefined. */
  inherited: Map<string, tf.Tensor> | undefined;
  report: PruneReport;
  /** The backend the run trains on, recorded with it. */
  backend: string;
}

async function trainAndEvaluate(r: RoleTraining): Promise<NetRunResult> {
  const { role, net, config, train, val, inputSize, options, workDir, parentRunId, inherited, report } = r;
  const { store } = options;
  const resources = summarize(net, inputSize);
  const roleDir = workDir ? join(workDir, role) : undefined;
  const run = store
    ? openRoleRun(
        store,
        { ...roleRunInput(config, role, parentRunId, r.backend), status: 'running' },
        roleDir,
        options.resume ?? false,
        options.onLog ?? (() => {}),
        options.waitingRuns?.[role],
        r.backend,
      )
    : undefined;
  if (run) options.onRun?.(run.id, role);
  // A run completed before the kill is evaluated again (deterministic) but not recorded again.
  const recordTo = store && run?.status === 'running' ? { store, runId: run.id } : undefined;
  // An explicit work folder wins, so a resumed experiment finds its checkpoints again.
  const dir = roleDir ?? join(store!.paths.checkpoints, run!.uuid);
  mkdirSync(dir, { recursive: true });
  if (recordTo && options.resume) {
    const backfilled = recordCheckpointedEpochs(recordTo.store, recordTo.runId, join(dir, 'last.ckpt'));
    if (backfilled.length)
      options.onLog?.(`run ${recordTo.runId}: recorded checkpointed epochs ${backfilled.join(', ')}`);
  }
  const model: NetModel = buildModel(net, { seed: config.seed });
  try {
    if (inherited) model.setWeights(inherited, { partial: true });
    if (recordTo) {
      const { store, runId } = recordTo;
      store.addArtifact(runId, {
        kind: 'net',
        name: 'net.json',
        source: { bytes: Buffer.from(JSON.stringify(net)) },
      });
      if (role === 'pruned')
        store.recordPruneReport(runId, {
          layers: report.layers.map((l) => ({
            layer: l.name,
            kept: l.kept,
            total: l.neurons,
            flopsBefore: l.before.flops,
            flopsAfter: l.after.flops,
            paramsBefore: l.before.params,
            paramsAfter: l.after.params,
          })),
          summary: report.summary,
          realizedSparsity: report.realizedSparsity,
        });
    }
    const trainable = trainableNet(model);
    const phase = (p: Progress): Progress => ({ ...p, phase: `${role}: ${p.phase}` });
    const validate = (m: typeof trainable) =>
      evaluateModel(m, val, {
        limit: config.eval.samples,
        overlap: config.eval.overlap,
        patch: inputSize,
        signal: options.signal,
      });
    const result = await trainLoop({
      name: `${role} net (${net.name})`,
      model: trainable,
      data: train,
      loss: lossFor(config.task),
      optimizer: config.train.optimizer,
      schedule: config.train.schedule,
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      seed: config.seed,
      samplesPerEpoch: config.train.samplesPerEpoch,
      validateEvery: config.train.validateEvery,
      validate: config.train.validateEvery > 0 ? validate : undefined,
      earlyStopPatience: config.train.earlyStopPatience,
      checkpointDir: dir,
      checkpointEverySteps: config.train.checkpointEverySteps,
      resume: options.resume,
      signal: options.signal,
      onProgress: (p) => options.onProgress?.(phase(p)),
      onLog: options.onLog,
      onEpoch: (record) => {
        if (recordTo) recordTrainingEpoch(recordTo.store, recordTo.runId, record);
      },
    });
    const { lastCheckpoint, bestCheckpoint, ...training } = result;
    if (result.outcome === 'cancelled') {
      if (recordTo) recordTo.store.updateRunStatus(recordTo.runId, stoppedStatus(options.signal));
      return {
        role,
        runId: run?.id,
        net,
        resources,
        training,
        metrics: {},
        primaryMetric: '',
        confusion: { classes: 0, counts: [] },
        predictions: [],
        checkpoint: lastCheckpoint,
      };
    }
    if (bestCheckpoint && existsSync(bestCheckpoint)) loadCheckpointWeights(trainable, bestCheckpoint);
    const evaluation = await evaluateModel(trainable, val, {
      limit: config.eval.samples,
      overlap: config.eval.overlap,
      patch: inputSize,
      predictionsDir:
        config.eval.writePredictions && config.task !== 'ucf101' ? join(dir, 'predictions') : undefined,
      signal: options.signal,
      onProgress: (p) => options.onProgress?.(phase(p)),
    });
    if (recordTo) {
      const { store, runId } = recordTo;
      recordEvaluationArtifacts(store, runId, evaluation);
      for (const file of [lastCheckpoint, bestCheckpoint])
        if (file && existsSync(file))
          store.addArtifact(runId, { kind: 'checkpoint', name: basename(file), source: { file } });
      store.recordEpoch(runId, {
        epoch: training.history.length + 1,
        metrics: [
          ...Object.entries(evaluation.metrics).map(([name, value]) => ({ name: `final ${name}`, value })),
          { name: 'seconds per step', value: training.secondsPerStep },
          { name: 'peak tensor MB', value: training.peakTensorBytes / 2 ** 20 },
          { name: 'peak process RSS MB', value: training.peakRssBytes / 2 ** 20 },
          { name: 'FLOPs', value: resources.flops },
          { name: 'params', value: resources.params },
          { name: 'memory MB', value: resources.memoryMB },
        ],
        system: { peakMemoryBytes: training.peakRssBytes },
      });
      store.updateRunStatus(runId, 'completed');
    }
    return {
      role,
      runId: run?.id,
      net,
      resources,
      training,
      metrics: evaluation.metrics,
      primaryMetric: evaluation.primary,
      confusion: evaluation.confusion,
      predictions: evaluation.predictions,
      checkpoint: lastCheckpoint,
    };
  } catch (error) {
    // Stopped mid-evaluation: the user's cancel or an interrupt, not a failure of the run.
    if (recordTo)
      recordTo.store.updateRunStatus(
        recordTo.runId,
        options.signal?.aborted ? stoppedStatus(options.signal) : 'failed',
        { error: error instanceof Error ? error.message : String(error) },
      );
    throw error;
  } finally {
    model.dispose();
  }
}
