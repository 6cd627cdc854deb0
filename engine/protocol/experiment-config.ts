import { z } from 'zod';
import { EXPERIMENT_LIMITS, PRUNE_LIMITS } from '../domain/limits.js';
import { DEFAULT_PRUNE_METHOD, PRUNE_METHOD_NAMES, resolveMethodName } from '../domain/methods.js';
import { RESOURCE_NAMES } from '../domain/resources.js';
import { FolderPathSchema, TaskSchema, type Triple } from './common.js';

/**
 * The experiment config (documented in engine/experiment/CONFIG.md): what `ranp train --config`,
 * `ranp experiment`, cluster studies and the app's experiment.start and study.start take. Defined
 * once here so that the app builds what a config file holds; engine/experiment/config.ts
 * resolveConfig fills in the task's defaults (engine/tasks/NAME/task.ts experimentDefaults) and then
 * parses with ExperimentConfigSchema.
 */

const L = EXPERIMENT_LIMITS;
const Positive = z.number().int().positive();
/** Voxels along one side of an input (the experiment form checks its size fields with it). */
export const InputEdgeSchema = z.number().int().min(L.minInputEdge).max(L.maxInputEdge);
/** N (N×N×N) or [D, H, W]. */
const Size = z
  .union([InputEdgeSchema, z.tuple([InputEdgeSchema, InputEdgeSchema, InputEdgeSchema])])
  .transform((v): Triple => (typeof v === 'number' ? [v, v, v] : v));
const LearningRate = z.number().positive().max(L.maxLearningRate);

/** A method name or one of its aliases (engine/prune/criteria/registry.ts): config files keep what was typed. */
const MethodSchema = z.string().refine((name) => resolveMethodName(name) !== undefined, {
  error: (issue) =>
    `unknown pruning method '${String(issue.input)}'; choose one of ${PRUNE_METHOD_NAMES.join(', ')}`,
});

const OptimizerSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('sgd'),
    momentum: z.number().min(0).lt(1).default(0.9),
    dampening: z.number().min(0).max(1).default(0),
    nesterov: z.boolean().default(false),
    weightDecay: z.number().min(0).default(0),
  }),
  z.strictObject({
    kind: z.literal('adam'),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    weightDecay: z.number().min(0).default(0),
  }),
]);

const ScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), lr: LearningRate }),
  z.strictObject({ kind: z.literal('exponential'), lr: LearningRate, rate: z.number().min(0) }),
  z.strictObject({
    kind: z.literal('step'),
    lr: LearningRate,
    milestones: z.array(z.number().int().nonnegative()),
    gamma: z.number().positive(),
  }),
  z.strictObject({
    kind: z.literal('plateau'),
    lr: LearningRate,
    mode: z.enum(['min', 'max']).default('max'),
    factor: z.number().gt(0).lt(1).default(0.1),
    patience: z.number().int().nonnegative().default(10),
    threshold: z.number().min(0).default(1e-4),
    cooldown: z.number().int().nonnegative().default(0),
    minLr: z.number().min(0).default(0),
  }),
]);

/** Fields that prune.preview (engine/protocol/prune.ts) takes too. */
export const SparsitySchema = z.number().min(0).lt(PRUNE_LIMITS.maxSparsityExclusive);
export const SeedSchema = z.number().int().nonnegative().max(L.maxSeed);
export const LambdaSchema = z.number().min(0).max(PRUNE_LIMITS.maxLambda);
export const WidthSchema = z.number().positive().max(PRUNE_LIMITS.maxWidth);
export const ScoringSamplesSchema = Positive.max(PRUNE_LIMITS.maxScoringSamples);

/** A resource target (engine/prune/budget.ts parses the CLI's `flops=0.1` into this). */
export const BudgetSchema = z
  .strictObject({
    resource: z.enum(RESOURCE_NAMES),
    /** A fraction in (0, 1] of the full net when relative, else FLOPs, params or bytes of float32 feature maps. */
    value: z.number().positive(),
    relative: z.boolean(),
  })
  .refine((b) => !b.relative || b.value <= 1, { message: 'a relative budget is a fraction in (0, 1]' });

/** Transfer: prune on another task's dataset, with its net (default: that task's). */
export const TransferSchema = z.strictObject({
  task: TaskSchema,
  data: FolderPathSchema,
  net: z.string().min(1).optional(),
});

export type Budget = z.infer<typeof BudgetSchema>;

export const ExperimentConfigSchema = z.strictObject({
  name: z.string().max(L.maxNameLength).optional(),
  task: TaskSchema,
  /** Dataset folder (in its published layout). */
  data: FolderPathSchema,
  /** Zoo net; default per task. */
  net: z.string().min(1),
  /** Width multiplier of the full net. */
  width: WidthSchema.default(1),
  /** Training input (crop) size; default the net's. */
  inputSize: Size.optional(),
  seed: SeedSchema.default(0),
  /** tfjs backend (see `ranp doctor`); default the best available. */
  backend: z.string().optional(),
  /** Train the unpruned reference too (the comparison needs it). */
  trainUnpruned: z.boolean().default(true),
  prune: z
    .strictObject({
      method: MethodSchema.default(DEFAULT_PRUNE_METHOD),
      /** Neuron sparsity in [0, 1); absent when a budget is given: the budget's search finds it. */
      sparsity: SparsitySchema.optional(),
      /** Prune at the smallest sparsity whose pruned net meets this (instead of a sparsity). */
      budget: BudgetSchema.optional(),
      /** RANP's resource weight; default the task's (engine/domain/tasks.ts). */
      lambda: LambdaSchema.optional(),
      scoringSamples: ScoringSamplesSchema.optional(),
      /** Scale-up: prune at this (smaller) input size, train at `inputSize`. */
      inputSize: Size.optional(),
      /** Scale-up: multiply the pruned net's channels by this before training. */
      widen: WidthSchema.default(1),
      /** Keep the surviving initial weights instead of re-initializing the pruned net. */
      inherit: z.boolean().default(false),
      /** Transfer: prune on another dataset (its first conv and classifier are replaced for training). */
      from: TransferSchema.optional(),
    })
    .refine((p) => (p.sparsity === undefined) !== (p.budget === undefined), {
      message: 'give a sparsity or a budget (not both: the budget decides the sparsity)',
    }),
  train: z.strictObject({
    epochs: Positive.max(L.maxEpochs),
    batchSize: Positive.max(L.maxBatchSize),
    /** Samples per epoch (short runs); all when absent. */
    samplesPerEpoch: Positive.max(L.maxSamplesPerEpoch).optional(),
    optimizer: OptimizerSchema,
    schedule: ScheduleSchema,
    /** Validate every N epochs (and after the last); 0: only at the end. */
    validateEvery: z.number().int().nonnegative().default(1),
    /** Stop after this many validations without improvement. */
    earlyStopPatience: Positive.optional(),
    /** Also checkpoint every N steps inside an epoch. */
    checkpointEverySteps: Positive.optional(),
    /**
     * Activation checkpointing: drop each layer chain's inner activations after the forward and
     * recompute them in the backward: a lower step peak for one more forward (same gradients).
     */
    recomputeActivations: z.boolean().default(false),
  }),
  eval: z
    .strictObject({
      /** Validation samples used (all when absent). */
      samples: Positive.optional(),
      /** Sliding-window overlap for volumes larger than the training patch. */
      overlap: z.number().min(0).lt(1).default(0.5),
      /** BraTS validation centre crop; default the training input size (the paper: 192³); limited to the volume. */
      cropSize: Size.optional(),
      writePredictions: z.boolean().default(true),
    })
    .default({ overlap: 0.5, writePredictions: true }),
});

/** Values given whole or not at all (no default to merge them into): prune.budget and prune.from. */
const WHOLE: ReadonlySet<z.ZodType> = new Set([BudgetSchema, TransferSchema]);
type WholeKey = 'budget' | 'from';

/** Every field optional at every depth: what may be merged over the task's defaults. */
type InputForm<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: K extends WholeKey ? T[K] : InputForm<T[K]> }
    : T;

type Full = typeof ExperimentConfigSchema;
type RequiredKeys = 'task' | 'data';

/** A resolved config: the task's defaults and the schema's filled in. */
export type ExperimentConfig = z.output<Full>;
/** What a config file, the CLI's flags or the app's request may hold: only task and data are needed. */
export type ExperimentConfigInput = InputForm<z.input<Full>> & Pick<z.input<Full>, RequiredKeys>;
/** The same after parsing with ExperimentConfigInputSchema (sizes as [D, H, W]; no default filled in). */
export type ParsedExperimentConfigInput = InputForm<z.output<Full>> & Pick<z.output<Full>, RequiredKeys>;

/**
 * The schema's input form, derived from it: objects' fields optional (a discriminated union's
 * `kind` too: a partial optimizer or schedule merges into the default of its kind; a budget or a
 * transfer stays whole), defaults left out (filling them here would override the task's), bounds
 * and unknown-key refusals kept. Rules across fields (sparsity or budget) are resolveConfig's.
 */
function inputForm(schema: z.ZodType, required: readonly string[] = []): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional)
    return inputForm(schema.unwrap() as z.ZodType);
  if (WHOLE.has(schema)) return schema;
  if (schema instanceof z.ZodObject)
    return z.strictObject(
      Object.fromEntries(
        Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [
          key,
          required.includes(key) ? field : inputForm(field).optional(),
        ]),
      ),
    );
  if (schema instanceof z.ZodDiscriminatedUnion)
    return z.union((schema.options as z.ZodType[]).map((option) => inputForm(option)));
  return schema;
}

/** experiment.start's params: a config as a config file may hold it; the engine resolves it (resolveConfig). */
export const ExperimentConfigInputSchema = inputForm(ExperimentConfigSchema, [
  'task',
  'data',
] satisfies RequiredKeys[]) as z.ZodType<ParsedExperimentConfigInput, ExperimentConfigInput>;

/**
 * A grid over one experiment config, as cluster study files (engine/study/study.ts) and the app's
 * sweeps (study.start) give it: each axis optional (default: the config's own value).
 */
export const StudyGridSchema = z.strictObject({
  method: z.array(MethodSchema).min(1).optional(),
  sparsity: z.array(SparsitySchema).min(1).optional(),
  seed: z.array(SeedSchema).min(1).optional(),
});
