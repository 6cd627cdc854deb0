import type { HandlerTable } from '../context.js';
import { checkDataset, listSamples } from './datasets.js';
import { cancelJob, listJobs } from './jobs.js';
import { startExperiment } from './experiment.js';
import { netInfo, listNets } from './nets.js';
import { previewPrune } from './prune.js';
import { compareRuns, deleteRun, exportRun, getRun, listRuns } from './runs.js';
import { engineStatus } from './status.js';
import { getVolume } from './volume.js';

/** Every protocol method and its handler, one line each. */
export const handlers: HandlerTable = {
  'engine.status': engineStatus,
  'datasets.samples': listSamples,
  'datasets.check': checkDataset,
  'nets.list': listNets,
  'nets.info': netInfo,
  'prune.preview': previewPrune,
  'experiment.start': startExperiment,
  'jobs.list': listJobs,
  'job.cancel': cancelJob,
  'runs.list': listRuns,
  'runs.get': getRun,
  'runs.compare': compareRuns,
  'runs.export': exportRun,
  'runs.delete': deleteRun,
  'volume.get': getVolume,
};
