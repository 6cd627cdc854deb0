import { TaskSchema } from '../protocol/common.js';
import { ExperimentConfigSchema, type ExperimentConfig } from '../protocol/experiment-config.js';
import { taskModule } from '../tasks/registry.js';

/**
 * The experiment config's schema is engine/protocol/experiment-config.ts (documented in
 * CONFIG.md), shared with the app; here it is resolved: omitted fields get the paper's settings
 * for the task (its experimentDefaults, engine/tasks/NAME/task.ts), then the schema's own defaults.
 */
export type { ExperimentConfig, ExperimentConfigInput } from '../protocol/experiment-config.js';

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
