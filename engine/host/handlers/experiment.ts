import { randomUUID } from 'node:crypto';
import { countOf } from '../../domain/words.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  queueExperimentRuns,
  resolveConfig,
  runExperiment,
  type NetRole,
} from '../../experiment/index.js';
import type { ExperimentConfig } from '../../experiment/index.js';
import { MAX_STUDY_EXPERIMENTS, type JobInfo, type JobStudy } from '../../protocol/jobs.js';
import type { ParsedExperimentConfigInput } from '../../protocol/experiment-config.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Store } from '../../store/index.js';
import { lookup } from './run-lookup.js';
import type { RunRecord } from '../../store/types.js';
import { gridCells, withCell } from '../../study/grid.js';
import type { Handler, HostContext } from '../context.js';

/** Where an experiment's checkpoints and run links live, named after its first run (found again on resume). */
function experimentWorkDir(store: Store, firstRun: RunRecord): string {
  return path.join(store.paths.checkpoints, `experiment-${firstRun.uuid}`);
}

/**
 * When the job has ended, its runs that never started are settled like the job: cancelled (also
 * after a cancel while queued), failed, or interrupted (resumable later).
 */
function settleWaitingRuns(store: Store, runIds: number[]): (job: JobInfo) => void {
  return (job) => {
    const status =
      job.state === 'failed' ? 'failed' : job.state === 'interrupted' ? 'interrupted' : 'cancelled';
    for (const id of runIds)
      if (store.getRun(id).status === 'queued')
        store.updateRunStatus(id, status, status === 'failed' ? { error: job.error } : {});
  };
}

/** Queues the experiment's job: it runs after the jobs before it, continuing the runs created now. */
function queueExperiment(
  ctx: HostContext,
  title: string,
  config: ExperimentConfig,
  runs: RunRecord[],
  resume: boolean,
  study?: JobStudy,
): JobInfo {
  const store = ctx.store();
  const waitingRuns: Partial<Record<NetRole, number>> = Object.fromEntries(
    runs.map((r) => [r.role as NetRole, r.id]),
  );
  const workDir = experimentWorkDir(store, runs[0]);
  return ctx.jobs.start(
    title,
    async (control) => {
      await runExperiment(config, {
        store,
        workDir,
        resume,
        waitingRuns,
        signal: control.signal,
        onProgress: control.onProgress,
        onLog: control.log,
        onRun: (id) => control.startRun(String(id)),
      });
    },
    {
      runIds: runs.map((r) => String(r.id)),
      ended: settleWaitingRuns(
        store,
        runs.map((r) => r.id),
      ),
      planKey: planKey(config),
      ...(study ? { study } : {}),
    },
  );
}

/**
 * The request's config resolved now (task defaults filled in), so a request the queue could never
 * run is refused at once; its data folders are checked (allowed, as the engine will read them).
 */
function checkedConfig(request: ParsedExperimentConfigInput, ctx: HostContext): ExperimentConfig {
  const from = request.prune?.from;
  const raw = {
    ...request,
    data: ctx.folders.check(request.data),
    ...(from?.data !== undefined && {
      prune: { ...request.prune, from: { ...from, data: ctx.folders.check(from.data) } },
    }),
  };
  try {
    return resolveConfig(raw, 'experiment.start');
  } catch (error) {
    if (error instanceof ConfigError) throw new ProtocolError('invalid-params', error.message);
    throw error;
  }
}

/** Experiments with the same key train the same steps: the queue estimates one from another. */
function planKey(config: ExperimentConfig): string {
  const { epochs, batchSize, samplesPerEpoch } = config.train;
  return JSON.stringify([config.task, config.data, epochs, batchSize, samplesPerEpoch, config.trainUnpruned]);
}

/** Creates the experiment's runs (queued) and queues its job. */
function submitExperiment(
  ctx: HostContext,
  config: ExperimentConfig,
  title: string,
  study?: JobStudy,
): JobInfo {
  const store = ctx.store();
  const ids = queueExperimentRuns(store, config);
  const runs = [ids.unpruned, ids.pruned].filter((id) => id !== undefined).map((id) => store.getRun(id));
  return queueExperiment(ctx, title, config, runs, false, study);
}

const percent = (sparsity: number) => `${Math.round(sparsity * 1000) / 10}%`;

/** The job's title: the config's name, else its net, method and sparsity (or budget). */
function experimentTitle(config: ExperimentConfig): string {
  const { method, sparsity, budget } = config.prune;
  const amount =
    sparsity !== undefined
      ? percent(sparsity)
      : `${budget!.resource} budget ${budget!.relative ? percent(budget!.value) : budget!.value}`;
  return config.name ?? `${config.net} · ${method} ${amount}`;
}

/** Prune, then train the unpruned and pruned nets, as a queued background job recorded in the store. */
export const startExperiment: Handler<'experiment.start'> = async (params, ctx) => {
  const config = checkedConfig(params, ctx);
  return { job: submitExperiment(ctx, config, experimentTitle(config)) };
};

/**
 * A sweep: every method × sparsity × seed cell is one experiment job, queued in the grid order of
 * cluster studies (engine/study/grid.ts) under one study. Every cell's config is checked before any is queued.
 */
export const startStudy: Handler<'study.start'> = async ({ config: shared, grid }, ctx) => {
  const cells = gridCells(grid);
  const axis = (values: readonly unknown[] | undefined, one: string, many: string) =>
    countOf(values?.length ?? 1, one, many);
  const size = `${axis(grid.method, 'method', 'methods')} × ${axis(grid.sparsity, 'sparsity', 'sparsities')} × ${axis(grid.seed, 'seed', 'seeds')}`;
  if (cells.length > MAX_STUDY_EXPERIMENTS)
    throw new ProtocolError(
      'invalid-params',
      `a study of ${size} is ${cells.length} experiments; at most ${MAX_STUDY_EXPERIMENTS} can be queued at once`,
    );
  const { name, ...unnamed } = shared;
  const configs = cells.map((cell) => checkedConfig(withCell(unnamed, cell), ctx));
  const study = { id: randomUUID(), title: `${name ?? configs[0].net}: ${size}` };
  const jobs = configs.map((config, index) => {
    const title = `${experimentTitle(config)} · seed ${config.seed}`;
    return submitExperiment(ctx, { ...config, name: name ? `${name} · ${title}` : title }, title, {
      ...study,
      index,
      size: cells.length,
    });
  });
  return { study, jobs };
};

/** Queues the interrupted experiment that `runId` belongs to; its completed epochs are kept. */
export const resumeExperiment: Handler<'experiment.resume'> = async ({ runId }, ctx) => {
  const store = ctx.store();
  const find = (id: number): RunRecord => lookup(() => store.getRun(id));
  const asked = find(Number(runId) || 0);
  const first = asked.parentRunId !== null && asked.role === 'pruned' ? find(asked.parentRunId) : asked;
  const runs = [first, ...store.listRuns({ role: 'pruned' }).filter((r) => r.parentRunId === first.id)];
  const busy = ctx.jobs.active.find((j) => runs.some((r) => j.runIds.includes(String(r.id))));
  if (busy) throw new ProtocolError('busy', `run ${runId} belongs to '${busy.title}', which has not ended`);
  if (!runs.some((r) => r.status === 'interrupted'))
    throw new ProtocolError(
      'invalid-params',
      `run ${runId}: only an interrupted experiment can be resumed; its runs are ${runs
        .map((r) => `${r.id} ${r.status}`)
        .join(', ')}`,
    );
  const workDir = experimentWorkDir(store, first);
  // Runs started elsewhere (the CLI's own work folder) have their checkpoints where this engine cannot tell.
  if (runs.some((r) => r.startedAt !== null) && !existsSync(workDir))
    throw new ProtocolError(
      'invalid-params',
      `run ${runId} was not started by this engine's queue (no ${workDir}); resume it with 'ranp experiment --resume' and its work folder`,
    );
  const config = resolveConfig(first.config);
  return { job: queueExperiment(ctx, `${first.name ?? first.net} (resumed)`, config, runs, true) };
};
