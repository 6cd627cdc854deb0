import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../engine/experiment/config.js';
import { methods } from '../../../engine/protocol/index.js';
import {
  experimentConfig,
  formErrors,
  studyConfig,
  type ExperimentForm,
} from '../../../renderer/experiment-form.js';

const form: ExperimentForm = {
  task: 'brats',
  data: '/data/brats',
  name: '  ',
  net: 'unet3d-brats',
  method: 'ranp-f',
  target: 'sparsity',
  sparsity: 0.5,
  budgetPercent: 30,
  lambda: 15,
  width: 0.25,
  inputEdge: 16,
  seed: 3,
  epochs: 2,
  batchSize: 1,
  scoringSamples: 2,
  samplesPerEpoch: null,
  pruneEdge: undefined,
  widen: 1,
  transferTask: '',
  transferPath: '',
  recomputeActivations: false,
};

describe('the experiment form’s request', () => {
  it('is a config as a file would hold it; the engine fills in the rest from the task', () => {
    const config = experimentConfig(form);
    expect(methods['experiment.start'].params.safeParse(config).success).toBe(true);
    const resolved = resolveConfig(config);
    expect(resolved).toMatchObject({
      task: 'brats',
      data: '/data/brats',
      net: 'unet3d-brats',
      width: 0.25,
      inputSize: [16, 16, 16],
      seed: 3,
      trainUnpruned: true,
      prune: { method: 'ranp-f', sparsity: 0.5, lambda: 15, scoringSamples: 2, widen: 1, inherit: false },
      train: { epochs: 2, batchSize: 1, validateEvery: 1 },
    });
    // Blank fields are left out, so no name, no samples-per-epoch limit, no scale-up or transfer.
    expect(resolved.name).toBeUndefined();
    expect(resolved.train.samplesPerEpoch).toBeUndefined();
    expect(resolved.prune.inputSize).toBeUndefined();
    expect(resolved.prune.from).toBeUndefined();
    expect(resolved.train.recomputeActivations).toBe(false);
    // BraTS's optimizer and schedule (engine/tasks/brats/task.ts), as a config file without them gets.
    expect(resolved.train.schedule).toEqual({ kind: 'step', lr: 1e-3, milestones: [150], gamma: 0.1 });
  });

  it('carries the name, scale-up, transfer and activation recomputation when set', () => {
    const resolved = resolveConfig(
      experimentConfig({
        ...form,
        name: ' small ',
        samplesPerEpoch: 4,
        pruneEdge: 8,
        widen: 1.5,
        transferTask: 'shapenet',
        transferPath: ' /data/shapenet ',
      }),
    );
    expect(resolved.name).toBe('small');
    expect(resolved.train.samplesPerEpoch).toBe(4);
    expect(resolved.prune).toMatchObject({
      inputSize: [8, 8, 8],
      widen: 1.5,
      from: { task: 'shapenet', data: '/data/shapenet' },
    });
    expect(
      resolveConfig(experimentConfig({ ...form, recomputeActivations: true })).train.recomputeActivations,
    ).toBe(true);
    // A transfer task without a folder is no transfer.
    expect(experimentConfig({ ...form, transferTask: 'shapenet' }).prune?.from).toBeUndefined();
  });

  it('queues a sweep as the same config over the grid', () => {
    const study = studyConfig(form, { methods: ['ranp-f', 'random'], sparsities: [0.3, 0.5], seeds: [0, 1] });
    expect(methods['study.start'].params.safeParse(study).success).toBe(true);
    expect(study).toEqual({
      config: experimentConfig(form),
      grid: { method: ['ranp-f', 'random'], sparsity: [0.3, 0.5], seed: [0, 1] },
    });
  });

  it('names a wrong field with the schema’s bounds, and nothing when all are right', () => {
    expect(Object.values(formErrors(form)).filter(Boolean)).toEqual([]);
    const errors = formErrors({
      ...form,
      epochs: 10_001,
      inputEdge: 3,
      samplesPerEpoch: 0,
      pruneEdge: 513,
      widen: 9,
    });
    expect(errors).toMatchObject({
      epochs: 'Epochs: a whole number from 1 to 10000',
      inputEdge: 'Input size: a whole number from 4 to 512',
      samplesPerEpoch: 'Samples per epoch: a whole number from 1 to 1000000',
      pruneEdge: 'Prune size: a whole number from 4 to 512',
      widen: 'Widen: a factor above 0, at most 8',
    });
    // engine/domain/limits.ts's bounds, as the config schema applies them (seeds from 0, the rest from 1).
    expect(formErrors({ ...form, seed: -1, batchSize: 0, scoringSamples: 10_001 })).toMatchObject({
      seed: 'Seed: a whole number from 0 to 2147483647',
      batchSize: 'Batch size: a whole number from 1 to 256',
      scoringSamples: 'Scoring samples: a whole number from 1 to 10000',
    });
    expect(formErrors({ ...form, epochs: 1.5 }).epochs).toBe('Epochs: a whole number from 1 to 10000');
    // Each refused value is refused by the config schema too.
    for (const bad of [{ epochs: 10_001 }, { inputEdge: 3 }, { pruneEdge: 513 }, { widen: 9 }])
      expect(
        methods['experiment.start'].params.safeParse(experimentConfig({ ...form, ...bad })).success,
      ).toBe(false);
  });

  it('with a budget sends prune.budget (a fraction of the full net) instead of a sparsity, and sweeps no sparsity', () => {
    const budgeted: ExperimentForm = { ...form, target: 'flops', budgetPercent: 30 };
    const resolved = resolveConfig(experimentConfig(budgeted));
    expect(resolved.prune.budget).toEqual({ resource: 'flops', value: 0.3, relative: true });
    // The task's default sparsity is dropped: the budget decides it.
    expect(resolved.prune.sparsity).toBeUndefined();
    const study = studyConfig(budgeted, { methods: ['ranp-f', 'random'], sparsities: [0.5], seeds: [0, 1] });
    expect(study.grid).toEqual({ method: ['ranp-f', 'random'], seed: [0, 1] });
    expect(methods['study.start'].params.safeParse(study).success).toBe(true);
    for (const budgetPercent of [0, 101, null])
      expect(formErrors({ ...budgeted, budgetPercent }).budgetPercent).toBe(
        'Budget: a percentage of the full net above 0, at most 100',
      );
    expect(formErrors({ ...budgeted, widen: 2 }).widen).toBe(
      'Widen: 1 with a budget (a widened net would not meet it)',
    );
    // A blank budget while the sparsity target is chosen is no error.
    expect(formErrors({ ...form, budgetPercent: null }).budgetPercent).toBeUndefined();
  });
});
