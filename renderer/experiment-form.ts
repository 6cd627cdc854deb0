import type {
  Budget,
  ExperimentConfigInput,
  PruneMethod,
  ResourceName,
  StudyConfig,
  Task,
} from '../engine/protocol/index.js';
import {
  ExperimentConfigSchema,
  InputEdgeSchema,
  ScoringSamplesSchema,
  SeedSchema,
  WidthSchema,
} from '../engine/protocol/index.js';

/** What the experiment form holds (number fields are null or undefined while blank). */
export interface ExperimentForm {
  task: Task;
  data: string;
  name: string;
  net: string;
  method: PruneMethod;
  /** Prune to the slider's sparsity, or to a budget: this share of the full net's resource. */
  target: 'sparsity' | ResourceName;
  sparsity: number;
  /** Percent of the full net's FLOPs, memory or parameters the pruned net may keep. */
  budgetPercent?: number | null;
  lambda: number;
  width: number;
  inputEdge: number;
  seed: number;
  epochs: number;
  batchSize: number;
  scoringSamples: number;
  samplesPerEpoch?: number | null;
  /** Scale-up: prune at this edge (blank: the training size), widen the pruned net by `widen`. */
  pruneEdge?: number | null;
  widen: number;
  /** Transfer: prune on this task's data folder ('' : no transfer). */
  transferTask: Task | '';
  transferPath: string;
  /** Recompute activations in the backward pass: a lower step peak for one more forward per step. */
  recomputeActivations: boolean;
}

/** A number field's schema (zod's ZodNumber): what it accepts and its bounds. */
interface NumberSchema {
  safeParse(value: unknown): { success: boolean };
  readonly minValue: number | null;
  readonly maxValue: number | null;
}

const train = ExperimentConfigSchema.shape.train.shape;

/** The message while `value` is not a whole number the schema takes, naming its bounds (a bound it excludes, one step in). */
const wholeNumber = (schema: NumberSchema, value: unknown, what: string): string | undefined => {
  if (schema.safeParse(value).success) return undefined;
  const min = schema.minValue ?? -Infinity;
  return `${what}: a whole number from ${schema.safeParse(min).success ? min : min + 1} to ${schema.maxValue}`;
};

const blank = (value: unknown): value is null | undefined => value === undefined || value === null;

/** The form's budget as the config holds it (a fraction of the full net), or undefined for a sparsity. */
export function formBudget(form: Pick<ExperimentForm, 'target' | 'budgetPercent'>): Budget | undefined {
  if (form.target === 'sparsity' || blank(form.budgetPercent)) return undefined;
  return { resource: form.target, value: form.budgetPercent / 100, relative: true };
}

/** Field-level checks with the config schema's own field schemas (engine/protocol/experiment-config.ts): field → message while wrong. */
export function formErrors(form: ExperimentForm): Record<string, string | undefined> {
  return {
    epochs: wholeNumber(train.epochs, form.epochs, 'Epochs'),
    inputEdge: wholeNumber(InputEdgeSchema, form.inputEdge, 'Input size'),
    batchSize: wholeNumber(train.batchSize, form.batchSize, 'Batch size'),
    seed: wholeNumber(SeedSchema, form.seed, 'Seed'),
    scoringSamples: wholeNumber(ScoringSamplesSchema, form.scoringSamples, 'Scoring samples'),
    samplesPerEpoch: blank(form.samplesPerEpoch)
      ? undefined
      : wholeNumber(train.samplesPerEpoch.unwrap(), form.samplesPerEpoch, 'Samples per epoch'),
    pruneEdge: blank(form.pruneEdge) ? undefined : wholeNumber(InputEdgeSchema, form.pruneEdge, 'Prune size'),
    widen: !WidthSchema.safeParse(form.widen).success
      ? `Widen: a factor above ${WidthSchema.minValue}, at most ${WidthSchema.maxValue}`
      : form.target !== 'sparsity' && form.widen !== 1
        ? 'Widen: 1 with a budget (a widened net would not meet it)'
        : undefined,
    budgetPercent:
      form.target === 'sparsity' ||
      (typeof form.budgetPercent === 'number' && form.budgetPercent > 0 && form.budgetPercent <= 100)
        ? undefined
        : 'Budget: a percentage of the full net above 0, at most 100',
  };
}

/**
 * The experiment config the form stands for, as a config file would hold it (engine/experiment/CONFIG.md);
 * what the form leaves out (optimizer, schedule, evaluation) the engine fills in with the task's defaults.
 */
export function experimentConfig(form: ExperimentForm): ExperimentConfigInput {
  const name = form.name.trim();
  const transferPath = form.transferPath.trim();
  return {
    task: form.task,
    data: form.data,
    ...(name && { name }),
    net: form.net,
    width: form.width,
    inputSize: form.inputEdge,
    seed: form.seed,
    trainUnpruned: true,
    prune: {
      method: form.method,
      ...budgetOrSparsity(form),
      lambda: form.lambda,
      scoringSamples: form.scoringSamples,
      ...(!blank(form.pruneEdge) && { inputSize: form.pruneEdge }),
      ...(form.widen !== 1 && { widen: form.widen }),
      ...(form.transferTask && transferPath && { from: { task: form.transferTask, data: transferPath } }),
    },
    train: {
      epochs: form.epochs,
      batchSize: form.batchSize,
      ...(!blank(form.samplesPerEpoch) && { samplesPerEpoch: form.samplesPerEpoch }),
      ...(form.recomputeActivations && { recomputeActivations: true }),
    },
  };
}

function budgetOrSparsity(form: ExperimentForm): { budget: Budget } | { sparsity: number } {
  const budget = formBudget(form);
  return budget ? { budget } : { sparsity: form.sparsity };
}

/** The sweep: the form's config over every method × sparsity × seed (with a budget: method × seed), queued as one study. */
export function studyConfig(
  form: ExperimentForm,
  grid: { methods: PruneMethod[]; sparsities: number[]; seeds: number[] },
): StudyConfig {
  return {
    config: experimentConfig(form),
    grid: {
      method: grid.methods,
      ...(!formBudget(form) && { sparsity: grid.sparsities }),
      seed: grid.seeds,
    },
  };
}
