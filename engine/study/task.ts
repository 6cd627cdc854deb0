import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreApi } from '../store/store-api.js';
import { describeCell, StudyError, type Study, type StudyCell } from './study.js';

/** The folder of task `index`'s bundles in a study folder: one bundle per run the task made. */
export function taskBundleDir(studyDir: string, index: number): string {
  return path.join(studyDir, 'bundles', `task-${index}`);
}

/**
 * The cell a task runs: `--index` when given, else the scheduler's SLURM_ARRAY_TASK_ID, else
 * Kubernetes' JOB_COMPLETION_INDEX. Refuses an index outside the study.
 */
export function taskCell(study: Study, index: string | undefined, env: NodeJS.ProcessEnv): StudyCell {
  const [source, text] =
    index !== undefined
      ? ['--index', index]
      : env.SLURM_ARRAY_TASK_ID !== undefined
        ? ['SLURM_ARRAY_TASK_ID', env.SLURM_ARRAY_TASK_ID]
        : env.JOB_COMPLETION_INDEX !== undefined
          ? ['JOB_COMPLETION_INDEX', env.JOB_COMPLETION_INDEX]
          : [null, undefined];
  if (source === null || text === undefined)
    throw new StudyError(
      'no task index: give --index N, or run under a scheduler that sets SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX',
    );
  const i = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(i) || i < 0 || i >= study.cells.length)
    throw new StudyError(
      `${source} is '${text}': study '${study.name}' has tasks 0 to ${study.cells.length - 1}`,
    );
  return study.cells[i];
}

/** What an imported run records as where it came from. */
export function taskOrigin(study: Study, cell: StudyCell, env: NodeJS.ProcessEnv): string {
  const scheduler =
    env.SLURM_ARRAY_JOB_ID !== undefined
      ? ` (SLURM job ${env.SLURM_ARRAY_JOB_ID}_${cell.index})`
      : env.JOB_COMPLETION_INDEX !== undefined
        ? ' (Kubernetes Indexed Job)'
        : '';
  return `study '${study.name}' task ${cell.index}/${study.cells.length} (${describeCell(cell)}) on ${os.hostname()}${scheduler}`;
}

/**
 * Exports every run in `store` (the task's own store) as a bundle into the task's bundle folder.
 * The bundles are written into a temporary folder beside it and renamed into place, so the folder
 * exists only complete, and a task that died half-way leaves nothing `ranp runs import` would take.
 * Returns the bundle folders.
 */
export function writeTaskBundles(store: StoreApi, studyDir: string, index: number, origin: string): string[] {
  const final = taskBundleDir(studyDir, index);
  if (fs.existsSync(final)) throw new StudyError(`task ${index}: ${final} already exists`);
  const partial = `${final}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  const runs = store.listRuns();
  for (const run of runs) store.exportRun(run.id, 'bundle', path.join(partial, run.uuid), { origin });
  fs.renameSync(partial, final);
  return runs.map((r) => path.join(final, r.uuid));
}
