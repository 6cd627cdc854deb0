import { z } from 'zod';
import { TASK_NAMES } from '../domain/tasks.js';
import type { Triple } from '../nn/description.js';
import { taskModule } from '../tasks/registry.js';

/**
 * The experiment config (documented in CONFIG.md): what `ranp train --config`, `ranp experiment` and
 * the app's runExperiment take. Omitted fields get the paper's settings for the task (its
 * experimentDefaults, engine/tasks/NAME.ts), then the schema's own defaults.
 */

const Positive = z.number().int().positive();
const Size = z
  .union([Positive, z.tuple([Positive, Positive, Positive])])
  .transform((v): Triple => (typeof v === 'number' ? [v, v, v] : v));

const OptimizerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sgd'),
    momentum: z.number().min(0).lt(1).default(0.9),
    dampening: z.number().min(0).max(1).default(0),
    nesterov: z.boolean().default(false),
    weightDecay: z.number().min(0).default(0),
  }),
  z.object({
    kind: z.literal('adam'),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    eps: z.number().positive().default(1e-8),
    weightDecay: z.number().min(0).default(0),
  }),
]);

const ScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), lr: z.number().positive() }),
  z.object({ kind: z.literal('exponential'), lr: z.number().positive(), rate: z.number().min(0) }),
  z.object({
    kind: z.literal('step'),
    lr: z.number().positive(),
    milestones: z.array(z.number().int().nonnegative()),
    gamma: z.number().positive(),
  }),
  z.object({
    kind: z.literal('plateau'),
    lr: z.number().positive(),
    mode: z.enum(['min', 'max']).default('max'),
    factor: z.number().gt(0).lt(1).default(0.1),
    patience: z.number().int().nonnegative().default(10),
    threshold: z.number().min(0).default(1e-4),
    cooldown: z.number().int().nonnegative().default(0),
    minLr: z.number().min(0).default(0),
  }),
]);

export const TaskSchema = z.enum(TASK_NAMES);

/** A resource target (engine/prune/budget.ts parses the CLI's `flops=0.1` into this). */
const BudgetSchema = z
  .object({
    resource: z.enum(['flops', 'memory', 'params']),
    /** A fraction in (0, 1] of the full net when relative, else FLOPs, params or bytes of float32 feature maps. */
    value: z.number().positive(),
    relative: z.boolean(),
  })
  .strict()
  .refine((b) => !b.relative || b.value <= 1, { message: 'a relative budget is a fraction in (0, 1]' });

export const ExperimentConfigSchema = z
  .object({
    name: z.string().max(200).optional(),
    task: TaskSchema,
    /** Dataset folder (in its published layout). */
    data: z.string().min(1),
    /** Zoo net; default per task. */
    net: z.string().min(1),
    /** Width multiplier of the full net. */
    width: z.number().positive().max(8).default(1),
    /** Training input (crop) size; default the net's. */
    inputSize: Size.optional(),
    seed: z.number().int().nonnegative().default(0),
    /** tfjs backend (see `ranp doctor`); default the best available. */
    backend: z.string().optional(),
    /** Train the unpruned reference too (the comparison needs it). */
    trainUnpruned: z.boolean().default(true),
    prune: z
      .object({
        /** 'ranp-f' | 'ranp-m' | 'ranp-p' | 'vanilla' | 'balanced' | 'random' | 'layerwise' | 'weight-snip' */
        method: z.string().default('ranp-f'),
        /** Absent when a budget is given: the budget's search finds it. */
        sparsity: z.number().min(0).lt(1).optional(),
        /** Prune at the smallest sparsity whose pruned net meets this (instead of a sparsity). */
        budget: BudgetSchema.optional(),
        lambda: z.number().min(0).optional(),
        scoringSamples: Positive.optional(),
        /** Scale-up: prune at this (smaller) input size, train at `inputSize`. */
        inputSize: Size.optional(),
        /** Scale-up: multiply the pruned net's channels by this before training. */
        widen: z.number().positive().max(8).default(1),
        /** Keep the surviving initial weights instead of re-initializing the pruned net. */
        inherit: z.boolean().default(false),
        /** Transfer: prune on another dataset (its first conv and classifier are replaced for training). */
        from: z
          .object({ task: TaskSchema, data: z.string().min(1), net: z.string().min(1).optional() })
          .optional(),
      })
      .strict()
      .refine((p) => (p.sparsity === undefined) !== (p.budget === undefined), {
        message: 'give a sparsity or a budget (not both: the budget decides the sparsity)',
      }),
    train: z
      .object({
        epochs: Positive,
        batchSize: Positive,
        /** Samples per epoch (short runs); all when absent. */
        samplesPerEpoch: Positive.optional(),
        optimizer: OptimizerSchema,
        schedule: ScheduleSchema,
        /** Validate every N epochs (and after the last); 0: only at the end. */
        validateEvery: z.number().int().nonnegative().default(1),
        /** Stop after this many validations without improvement. */
        earlyStopPatience: Positive.optional(),
        /** Also checkpoint every N steps inside an epoch. */
        checkpointEverySteps: Positive.optional(),
      })
      .strict(),
    eval: z
      .object({
        /** Validation samples used (all when absent). */
        samples: Positive.optional(),
        /** Sliding-window overlap for volumes larger than the training patch. */
        overlap: z.number().min(0).lt(1).default(0.5),
        /** BraTS validation centre crop; default the training input size (the paper: 192³); limited to the volume. */
        cropSize: Size.optional(),
        writePredictions: z.boolean().default(true),
      })
      .strict()
      .default({ overlap: 0.5, writePredictions: true }),
  })
  .strict();

export type ExperimentConfig = z.output<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; anything else in `over` replaces `base` (a given optimizer replaces the default whole when its kind differs). */
function mergeDefaults(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const b = base[key];
    const sameKind =
      !isPlainObject(b) || !isPlainObject(value) || !('kind' in value) || b.kind === value.kind;
    out[key] = isPlainObject(b) && isPlainObject(value) && sameKind ? mergeDefaults(b, value) : value;
  }
  return out;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: invalid experiment config:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function withoutDefaultSparsity(defaults: Record<string, unknown>): Record<string, unknown> {
  if (!isPlainObject(defaults.prune)) return defaults;
  const { sparsity: _sparsity, ...prune } = defaults.prune;
  return { ...defaults, prune };
}

/** Validates a config (from a file, the CLI or the app), filling in the task's defaults. */
export function resolveConfig(raw: unknown, source = 'config'): ExperimentConfig {
  if (!isPlainObject(raw)) throw new ConfigError(source, ['expected an object']);
  const task = TaskSchema.safeParse(raw.task);
  if (!task.success)
    throw new ConfigError(source, [`task: expected one of ${TaskSchema.options.join(', ')}`]);
  const defaults = taskModule(task.data).experimentDefaults;
  // A budget replaces the task's default sparsity; a sparsity given with it is refused by the schema.
  const budgeted = isPlainObject(raw.prune) && raw.prune.budget !== undefined;
  const parsed = ExperimentConfigSchema.safeParse(
    mergeDefaults(budgeted ? withoutDefaultSparsity(defaults) : defaults, raw),
  );
  if (!parsed.success)
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  return parsed.data;
}
