import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../../engine/experiment/config.js';
import {
  EXPERIMENT_LIMITS,
  ExperimentConfigInputSchema,
  methods,
  PRUNE_LIMITS,
} from '../../../engine/protocol/index.js';

// The one experiment config: the app's experiment.start takes the input form a config file may
// hold, and the engine's resolveConfig turns it into the same config a file would give.
const request = methods['experiment.start'].params;
const issuesOf = (raw: unknown) => {
  const parsed = request.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('experiment.start params: the config input form', () => {
  it('is the derived input form of the config schema', () => {
    expect(request).toBe(ExperimentConfigInputSchema);
  });

  it('fills in no default, so the task’s defaults (added by resolveConfig) are not overridden', () => {
    const raw = { task: 'ucf101', data: '/d', train: { epochs: 1, schedule: { lr: 0.02 } } };
    expect(request.parse(raw)).toEqual(raw);
    const resolved = resolveConfig(request.parse(raw));
    // UCF101's default schedule is plateau; the partial one only changes its rate.
    expect(resolved.train.schedule).toEqual({
      kind: 'plateau',
      lr: 0.02,
      mode: 'max',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      cooldown: 0,
      minLr: 0,
    });
    expect(resolved.trainUnpruned).toBe(true);
    expect(resolved.net).toBe('mobilenetv2-3d');
    expect(resolved.train.batchSize).toBe(8);
  });

  it('resolves to what the same object gives as a config file', () => {
    const raw = {
      task: 'brats',
      data: '/d',
      inputSize: 16,
      prune: { method: 'random', sparsity: 0.4, widen: 1.5, from: { task: 'shapenet', data: '/s' } },
      train: { epochs: 2, optimizer: { kind: 'sgd' } },
    };
    expect(resolveConfig(request.parse(raw))).toEqual(resolveConfig(raw));
  });

  it('needs task and data, nothing else', () => {
    expect(issuesOf({ task: 'brats' })).toEqual(['data']);
    expect(issuesOf({ data: '/d' })).toEqual(['task']);
    expect(issuesOf({ task: 'brats', data: '/d' })).toEqual([]);
  });

  it('refuses unknown keys and values out of bounds at any depth, naming the field', () => {
    expect(issuesOf({ task: 'brats', data: '/d', prune: { sparsty: 0.5 } })).toEqual(['prune']);
    expect(
      issuesOf({ task: 'brats', data: '/d', train: { optimizer: { kind: 'sgd', momentun: 1 } } }),
    ).toEqual(['train.optimizer']);
    expect(issuesOf({ task: 'brats', data: '/d', prune: { sparsity: 1 } })).toEqual(['prune.sparsity']);
    expect(issuesOf({ task: 'brats', data: '/d', prune: { method: 'ranp-x' } })).toEqual(['prune.method']);
    expect(issuesOf({ task: 'brats', data: '/d', prune: { method: 'snip-neuron' } })).toEqual([]);
    expect(issuesOf({ task: 'brats', data: '/d', train: { epochs: 0 } })).toEqual(['train.epochs']);
  });

  it('has the bounds of the limits table, in the request and in resolveConfig alike', () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [
        { train: { epochs: EXPERIMENT_LIMITS.maxEpochs } },
        { train: { epochs: EXPERIMENT_LIMITS.maxEpochs + 1 } },
        'train.epochs',
      ],
      [
        { train: { batchSize: EXPERIMENT_LIMITS.maxBatchSize } },
        { train: { batchSize: EXPERIMENT_LIMITS.maxBatchSize + 1 } },
        'train.batchSize',
      ],
      [
        { prune: { widen: PRUNE_LIMITS.maxWidth } },
        { prune: { widen: PRUNE_LIMITS.maxWidth + 0.25 } },
        'prune.widen',
      ],
      [
        { prune: { lambda: PRUNE_LIMITS.maxLambda } },
        { prune: { lambda: PRUNE_LIMITS.maxLambda + 1 } },
        'prune.lambda',
      ],
      [
        { inputSize: EXPERIMENT_LIMITS.minInputEdge },
        { inputSize: EXPERIMENT_LIMITS.minInputEdge - 1 },
        'inputSize',
      ],
      [{ seed: EXPERIMENT_LIMITS.maxSeed }, { seed: EXPERIMENT_LIMITS.maxSeed + 1 }, 'seed'],
    ];
    for (const [ok, over, field] of cases) {
      const config = (extra: Record<string, unknown>) => ({ task: 'brats', data: '/d', ...extra });
      expect(issuesOf(config(ok))).toEqual([]);
      expect(() => resolveConfig(config(ok))).not.toThrow();
      expect(issuesOf(config(over))[0]).toBe(field);
      expect(() => resolveConfig(config(over))).toThrow(ConfigError);
      expect(() => resolveConfig(config(over))).toThrow(new RegExp(`${field.replace('.', '\\.')}`));
    }
  });
});
