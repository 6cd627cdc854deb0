/**
 * Studies on a cluster: a grid of method × sparsity × seed over one experiment config (study.ts),
 * exported as a SLURM array script and a Kubernetes Indexed Job (job-array.ts) whose every task
 * runs one cell through `ranp study run-task` and writes its runs as bundles (task.ts), gathered
 * into the desktop store by `ranp runs import`.
 */
export {
  cellConfig,
  describeCell,
  readStudy,
  resolveStudy,
  StudyError,
  STUDY_FILE,
  type Study,
  type StudyCell,
} from './study.js';
export {
  jobName,
  kubernetesJob,
  KUBERNETES_FILE,
  KUBERNETES_STUDY_MOUNT,
  SLURM_FILE,
  slurmScript,
  writeStudyFolder,
  type JobArrayOptions,
} from './job-array.js';
export { gridCells, type GridAxes, type GridCell } from './grid.js';
export { taskBundleDir, taskCell, taskOrigin, writeTaskBundles } from './task.js';
