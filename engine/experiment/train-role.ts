import type * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/index.js';
import type { NetDescription, Triple } from '../nn/description.js';
import { buildModel } from '../nn/model.js';
import type { PruneReport } from '../prune/report.js';
import { countNetResources } from '../prune/resources.js';
import type { ResourceTotals } from '../protocol/common.js';
import { sentTotals } from '../resources/count.js';
import type { Store } from '../store/index.js';
import { trainLoop, trainingSteps } from '../train/loop.js';
import { lossFor } from '../tasks/registry.js';
import { trainableNet } from '../train/net-model.js';
import type { Progress } from '../util/progress.js';
import type { ExperimentConfig } from './config.js';
import { evaluateTrained, validateOn } from './evaluate-role.js';
import { stoppedStatus } from './interrupt.js';
import { recordRoleEnd, recordRoleStart } from './record.js';
import type { NetRunResult } from './result.js';
import { openRoleRun, recordCheckpointedEpochs, recordTrainingEpoch } from './resume.js';
import { roleRunInput, type NetRole } from './role-run.js';
import { recordDataFileLists, type RunEnvironment } from './run-environment.js';

/** What the experiment's caller gives every role. */
export interface RoleOptions {
  onProgress?: (progress: Progress) => void;
  onLog?: (message: string) => void;
  signal?: AbortSignal;
  /** Records runs, epochs, artifacts (predictions, nets, checkpoints) when given. */
  store?: Store;
  /** Called as soon as a run exists in the store (the app links to it). */
  onRun?: (runId: number, role: NetRole) => void;
  /** Continue the runs whose checkpoints are in the work folder (after a crash or cancel). */
  resume?: boolean;
  /**
   * Runs a job queue created on submit (status queued, or interrupted before they started): each
   * role continues its row instead of creating one, so the run list showed them while they waited.
   */
  waitingRuns?: Partial<Record<NetRole, number>>;
}

/** One role's training run of an experiment: what trainRole needs. */
export interface RoleTraining {
  role: NetRole;
  net: NetDescription;
  config: ExperimentConfig;
  train: Dataset;
  val: Dataset;
  inputSize: Triple;
  options: RoleOptions;
  workDir: string | undefined;
  parentRunId: number | undefined;
  /** Weights the pruned net starts from (prune.inherit), else undefined. */
  inherited: Map<string, tf.Tensor> | undefined;
  report: PruneReport;
  /** The backend the run trains on, recorded with it. */
  backend: string;
  /** This net's place among the nets the experiment trains (0-based) and their number, for Progress.overall. */
  netIndex: number;
  netCount: number;
  /** Recorded with the run when there is a store (collected once per experiment). */
  environment?: RunEnvironment;
}

function summarize(net: NetDescription, size: Triple): ResourceTotals {
  return sentTotals(countNetResources(net, size).total);
}

/**
 * Phase "train role": one net's store run (new, waiting or resumed), training from its last
 * checkpoint when resuming, then the final evaluation, each recorded as it happens.
 */
export async function trainRole(r: RoleTraining): Promise<NetRunResult> {
  const { role, net, config, train, val, inputSize, options, workDir, parentRunId, inherited, report } = r;
  const { store } = options;
  const resources = summarize(net, inputSize);
  const roleDir = workDir ? join(workDir, role) : undefined;
  const run = store
    ? openRoleRun(
        store,
        {
          ...roleRunInput(config, role, parentRunId, r.backend),
          environment: r.environment?.summary,
          status: 'running',
        },
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
  if (recordTo && r.environment) recordDataFileLists(recordTo.store, recordTo.runId, r.environment);
  // An explicit work folder wins, so a resumed experiment finds its checkpoints again.
  const dir = roleDir ?? join(store!.paths.checkpoints, run!.uuid);
  mkdirSync(dir, { recursive: true });
  if (recordTo && options.resume) {
    const backfilled = recordCheckpointedEpochs(recordTo.store, recordTo.runId, join(dir, 'last.ckpt'));
    if (backfilled.length)
      options.onLog?.(`run ${recordTo.runId}: recorded checkpointed epochs ${backfilled.join(', ')}`);
  }
  const model = buildModel(net, { seed: config.seed });
  try {
    if (inherited) model.setWeights(inherited, { partial: true });
    if (recordTo) recordRoleStart(recordTo.store, recordTo.runId, role, net, report);
    const trainable = trainableNet(model);
    // Every net of the experiment trains the same steps (same data, epochs, batch), so the whole
    // experiment is netCount × steps and one time left covers the nets still to come.
    const steps = trainingSteps(train.length, config.train, config.train.epochs);
    let trained = 0;
    let secondsPerStep: number | undefined;
    const phase = (p: Progress): Progress => ({
      ...p,
      phase: `${role}: ${p.phase}`,
      overall: {
        done: r.netIndex * steps + trained,
        total: r.netCount * steps,
        ...(secondsPerStep !== undefined ? { secondsPerStep } : {}),
      },
    });
    // Training progress counts steps of this net (total = steps); validation reports 0 of 1.
    const trainingPhase = (p: Progress): Progress => {
      if (p.total === steps && p.done > 0) {
        trained = Math.max(trained, p.done);
        if (p.elapsedSeconds > 0) secondsPerStep = p.elapsedSeconds / p.done;
      }
      return phase(p);
    };
    const result = await trainLoop({
      name: `${role} net (${net.name})`,
      model: trainable,
      data: train,
      loss: lossFor(config.task),
      optimizer: config.train.optimizer,
      schedule: config.train.schedule,
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      recomputeActivations: config.train.recomputeActivations,
      seed: config.seed,
      samplesPerEpoch: config.train.samplesPerEpoch,
      validateEvery: config.train.validateEvery,
      validate:
        config.train.validateEvery > 0
          ? (m) => validateOn(m, val, config, inputSize, options.signal)
          : undefined,
      earlyStopPatience: config.train.earlyStopPatience,
      checkpointDir: dir,
      checkpointEverySteps: config.train.checkpointEverySteps,
      resume: options.resume,
      signal: options.signal,
      onProgress: (p) => options.onProgress?.(trainingPhase(p)),
      onLog: options.onLog,
      onEpoch: (record) => {
        if (recordTo) recordTrainingEpoch(recordTo.store, recordTo.runId, record);
      },
    });
    trained = steps; // also when it stopped early: this net's share of the work is done
    const { lastCheckpoint, bestCheckpoint, ...training } = result;
    const ran = { role, runId: run?.id, net, resources, training, checkpoint: lastCheckpoint };
    if (result.outcome === 'cancelled') {
      if (recordTo) recordTo.store.updateRunStatus(recordTo.runId, stoppedStatus(options.signal));
      return {
        ...ran,
        metrics: {},
        primaryMetric: '',
        confusion: { classes: 0, counts: [] },
        predictions: [],
      };
    }
    const evaluation = await evaluateTrained(trainable, bestCheckpoint, val, config, inputSize, dir, {
      signal: options.signal,
      onProgress: (p) => options.onProgress?.(phase(p)),
    });
    if (recordTo)
      recordRoleEnd(recordTo.store, recordTo.runId, evaluation, training, resources, [
        lastCheckpoint,
        bestCheckpoint,
      ]);
    return {
      ...ran,
      metrics: evaluation.metrics,
      primaryMetric: evaluation.primary,
      confusion: evaluation.confusion,
      predictions: evaluation.predictions,
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
