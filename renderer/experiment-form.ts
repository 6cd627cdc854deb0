import type {
  Budget,
  ExperimentConfigInput,
  PruneMethod,
  ResourceName,
  StudyConfig,
  Task,
} from '../engine/protocol/index.js';
import { EXPERIMENT_LIMITS, PRUNE_LIMITS } from '../engine/protocol/index.js';

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
}

const L = EXPERIMENT_LIMITS;

const wholeNumber = (value: unknown, min: number, max: number, what: string): string | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? undefined
    : `${what}: a whole number from ${min} to ${max}`;

const blank = (value: unknown): value is null | undefined => value === undefined || value === null;

/** The form's budget as the config holds it (a fraction of the full net), or undefined for a sparsity. */
export function formBudget(form: Pick<ExperimentForm, 'target' | 'budgetPercent'>): Budget | undefined {
  if (form.target === 'sparsity' || blank(form.budgetPercent)) return undefined;
  return { resource: form.target, value: form.budgetPercent / 100, relative: true };
}

/** Field-level checks with the config schema's bounds (engine/domain/limits.ts): field → message while wrong. */
export function formErrors(form: ExperimentForm): Record<string, string | undefined> {
  return {
    epochs: wholeNumber(form.epochs, 1, L.maxEpochs, 'Epochs'),
    inputEdge: wholeNumber(form.inputEdge, L.minInputEdge, L.maxInputEdge, 'Input size'),
    batchSize: wholeNumber(form.batchSize, 1, L.maxBatchSize, 'Batch size'),
    seed: wholeNumber(form.seed, 0, L.maxSeed, 'Seed'),
    scoringSamples: wholeNumber(form.scoringSamples, 1, PRUNE_LIMITS.maxScoringSamples, 'Scoring samples'),
    samplesPerEpoch: blank(form.samplesPerEpoch)
      ? undefined
      : wholeNumber(form.samplesPerEpoch, 1, L.maxSamplesPerEpoch, 'Samples per epoch'),
    pruneEdge: blank(form.pruneEdge)
      ? undefined
      : wholeNumber(form.pruneEdge, L.minInputEdge, L.maxInputEdge, 'Prune size'),
    widen: !(typeof form.widen === 'number' && form.widen > 0 && form.widen <= PRUNE_LIMITS.maxWidth)
      ? `Widen: a factor above 0, at most ${PRUNE_LIMITS.maxWidth}`
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
