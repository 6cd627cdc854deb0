import type { HandlerTable } from '../context.js';
import { checkDataset, listSamples } from './datasets.js';
import { listMethods, listTasks } from './domain.js';
import { cancelJob, listJobs } from './jobs.js';
import { resumeExperiment, startExperiment, startStudy } from './experiment.js';
import { netInfo, listNets } from './nets.js';
import { previewPrune } from './prune.js';
import { compareRuns, deleteRun, exportRun, getRun, listRuns } from './runs.js';
import { getSettings, setSettings } from './settings.js';
import { engineStatus } from './status.js';
import { getVolume } from './volume.js';

/** Every protocol method and its handler, one line each. */
export const handlers: HandlerTable = {
  'engine.status': engineStatus,
  'datasets.samples': listSamples,
  'datasets.check': checkDataset,
  'methods.list': listMethods,
  'tasks.list': listTasks,
  'nets.list': listNets,
  'nets.info': netInfo,
  'prune.preview': previewPrune,
  'experiment.start': startExperiment,
  'study.start': startStudy,
  'experiment.resume': resumeExperiment,
  'jobs.list': listJobs,
  'job.cancel': cancelJob,
  'settings.get': getSettings,
  'settings.set': setSettings,
  'runs.list': listRuns,
  'runs.get': getRun,
  'runs.compare': compareRuns,
  'runs.export': exportRun,
  'runs.delete': deleteRun,
  'volume.get': getVolume,
};
