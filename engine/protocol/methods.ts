import { z } from 'zod';
import { FolderPathSchema, TaskSchema, TripleSchema } from './common.js';
import { DatasetEntrySchema, DatasetReportSchema } from './datasets.js';
import { ExperimentConfigInputSchema } from './experiment-config.js';
import { JobInfoSchema, StudyConfigSchema } from './jobs.js';
import { NetEntrySchema, NetInfoSchema } from './nets.js';
import { PruneMethodSchema, PrunePreviewSchema, PruneSettingsSchema } from './prune.js';
import { ExportFormatSchema, RunComparisonSchema, RunDetailSchema, RunSummarySchema } from './runs.js';
import { EngineSettingsSchema } from './settings.js';
import { EngineStatusSchema } from './status.js';
import { VolumeHeaderSchema } from './volume.js';

const NoParams = z.object({}).strict();
const RunId = z.string().min(1).max(200);

/**
 * Every request the renderer can make: method name → params and result schemas. Both sides
 * validate against this table. A new request is one entry here and one handler in engine/host.
 */
export const methods = {
  'engine.status': { params: NoParams, result: EngineStatusSchema },
  'datasets.samples': { params: NoParams, result: z.object({ datasets: z.array(DatasetEntrySchema) }) },
  'datasets.check': {
    params: z.object({ path: FolderPathSchema, task: TaskSchema.optional() }).strict(),
    result: DatasetReportSchema,
  },
  /** The pruning methods with their labels, whether λ and scores apply, neuron or weight level (engine/domain). */
  'methods.list': {
    params: NoParams,
    result: z.object({
      methods: z.array(
        z.object({
          name: PruneMethodSchema,
          label: z.string(),
          usesLambda: z.boolean(),
          needsScores: z.boolean(),
          level: z.enum(['neuron', 'weight']),
        }),
      ),
    }),
  },
  /** The tasks with their labels, λ defaults, headline metrics, dataset layouts, segmentation views and label colour tables (engine/domain). */
  'tasks.list': {
    params: NoParams,
    result: z.object({
      tasks: z.array(
        z.object({
          name: TaskSchema,
          label: z.string(),
          defaultLambda: z.number(),
          primaryMetric: z.string(),
          dataset: z.string(),
          layout: z.string(),
          segmentationView: z.enum(['volume', 'shape']).nullable(),
          labelColours: z.string().nullable(),
        }),
      ),
    }),
  },
  'nets.list': {
    params: z.object({ task: TaskSchema.optional() }).strict(),
    result: z.object({ nets: z.array(NetEntrySchema) }),
  },
  'nets.info': {
    params: z
      .object({
        name: z.string().min(1),
        inputSize: TripleSchema.optional(),
      })
      .strict(),
    result: NetInfoSchema,
  },
  'prune.preview': { params: PruneSettingsSchema.strict(), result: PrunePreviewSchema },
  /** Queues an experiment: its config as a config file may hold it (task defaults filled by the engine). */
  'experiment.start': { params: ExperimentConfigInputSchema, result: z.object({ job: JobInfoSchema }) },
  /** Queues a method × sparsity × seed sweep: one experiment job per cell, seed by seed. */
  'study.start': {
    params: StudyConfigSchema,
    result: z.object({
      study: z.object({ id: z.string(), title: z.string() }),
      jobs: z.array(JobInfoSchema),
    }),
  },
  /** Continues an interrupted experiment (its runs' completed epochs kept), queued like a new one. */
  'experiment.resume': {
    params: z.object({ runId: RunId }).strict(),
    result: z.object({ job: JobInfoSchema }),
  },
  'jobs.list': { params: NoParams, result: z.object({ jobs: z.array(JobInfoSchema) }) },
  'job.cancel': {
    params: z.object({ jobId: z.string().min(1) }).strict(),
    result: z.object({ cancelled: z.boolean() }),
  },
  'settings.get': { params: NoParams, result: EngineSettingsSchema },
  /** Changes the given settings only; answers all of them. */
  'settings.set': { params: EngineSettingsSchema.partial().strict(), result: EngineSettingsSchema },
  'runs.list': { params: NoParams, result: z.object({ runs: z.array(RunSummarySchema) }) },
  'runs.get': { params: z.object({ id: RunId }).strict(), result: RunDetailSchema },
  'runs.compare': {
    params: z.object({ ids: z.array(RunId).min(1).max(20) }).strict(),
    result: RunComparisonSchema,
  },
  'runs.export': {
    params: z.object({ id: RunId, format: ExportFormatSchema }).strict(),
    result: z.object({ path: z.string(), bytes: z.number().int().nonnegative() }),
  },
  'runs.delete': { params: z.object({ id: RunId }).strict(), result: z.object({ deleted: z.boolean() }) },
  /** Header here; the voxels follow as one binary payload (see envelope.ts). */
  'volume.get': {
    params: z
      .object({
        runId: RunId,
        sample: z.string().min(1).max(500),
        which: z.enum(['image', 'truth', 'prediction']),
        /**
         * Indexes of the image's channels (modalities) to send, in this order; default all. The viewer
         * asks for the shown modality first and the others after (the header's allChannels names them),
         * so the first view waits for one modality, not all.
         */
        channels: z.array(z.number().int().nonnegative().max(63)).min(1).max(64).optional(),
        /**
         * The viewer's limits (engine/domain/viewer-fit.ts): its GPU's MAX_3D_TEXTURE_SIZE and its voxel
         * budget per channel. Volumes within them come at full resolution; beyond them the engine keeps
         * every f-th voxel per axis and the header names f. Default: WebGL2's guaranteed minimum texture
         * size (256) and VIEWER_VOXEL_BUDGET.
         */
        maxTextureSize: z.number().int().min(1).max(65_536).optional(),
        maxVoxels: z
          .number()
          .int()
          .min(1)
          .max(2 ** 40)
          .optional(),
      })
      .strict(),
    result: VolumeHeaderSchema,
  },
} as const;

export type MethodName = keyof typeof methods;
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** Requests whose result carries a binary payload after the JSON response. */
export const BINARY_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['volume.get']);
