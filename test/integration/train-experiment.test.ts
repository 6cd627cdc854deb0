import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../engine/data/nifti/read.js';
import { openStore } from '../../engine/store/index.js';
import { TINY_BRATS_AFFINE, TINY_BRATS_SIZE, writeTinyBrats } from './train-fixtures.js';

const run = promisify(execFile);
const ranp = join(import.meta.dirname, '..', '..', 'bin', 'ranp.js');
const dir = mkdtempSync(join(tmpdir(), 'ranp-experiment-'));
const data = join(dir, 'brats');
const store = join(dir, 'store');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => writeTinyBrats(data, 5));

interface NetSummary {
  runId: number;
  resources: { flops: number; params: number; memoryMB: number };
  metrics: Record<string, number>;
  history: { loss: number }[];
  predictions: { sampleId: string; file: string }[];
}

describe('ranp train / eval / compare on a tiny BraTS folder (real NIfTI files, real store)', () => {
  let result: { ratios: Record<string, number>; unpruned: NetSummary; pruned: NetSummary };

  it('trains the unpruned and the pruned U-Net identically and compares them', async () => {
    const config = join(dir, 'tiny.yaml');
    writeFileSync(
      config,
      [
        'task: brats',
        `data: ${data}`,
        'width: 0.125',
        'inputSize: 16',
        'seed: 3',
        'prune: { method: ranp-f, sparsity: 0.5, scoringSamples: 2 }',
        'train:',
        '  epochs: 2',
        '  schedule: { kind: constant, lr: 0.01 }',
      ].join('\n'),
    );
    const { stdout } = await run(
      process.execPath,
      [ranp, 'train', '--config', config, '--data-dir', store, '--json'],
      {
        env: { ...process.env, RANP_BACKEND: 'cpu' },
        maxBuffer: 1 << 24,
      },
    );
    result = JSON.parse(stdout);
    const { unpruned, pruned, ratios } = result;
    // Pruning at 0.5 neuron sparsity removes far more than half of the FLOPs of the 3D-UNet.
    expect(ratios.flops).toBeLessThan(0.5);
    expect(ratios.params).toBeLessThan(0.6);
    expect(ratios.memory).toBeLessThan(1);
    expect(pruned.resources.flops).toBeCloseTo(unpruned.resources.flops * ratios.flops, 0);
    for (const net of [unpruned, pruned]) {
      expect(net.history).toHaveLength(2);
      expect(net.history[1].loss).toBeLessThan(net.history[0].loss);
      for (const key of ['dice et', 'dice tc', 'dice wt']) expect(net.metrics[key]).toBeGreaterThanOrEqual(0);
      expect(net.metrics['hd95 wt']).toBeGreaterThanOrEqual(0);
    }
  });

  it('writes predictions on the input grid and records both runs with their artifacts', async () => {
    const prediction = result.pruned.predictions[0];
    const image = await readNifti(prediction.file);
    expect(image.dims.slice(0, 3)).toEqual([TINY_BRATS_SIZE, TINY_BRATS_SIZE, TINY_BRATS_SIZE]);
    expect(image.affine.map((v) => Number(v.toFixed(4)))).toEqual(TINY_BRATS_AFFINE);
    const labels = new Set(Array.from(image.data as ArrayLike<number>));
    expect([...labels].every((v) => [0, 1, 2, 4].includes(v))).toBe(true);

    const s = openStore({ dataDir: store });
    try {
      const unprunedRun = s.getRun(result.unpruned.runId);
      const prunedRun = s.getRun(result.pruned.runId);
      expect(unprunedRun.status).toBe('completed');
      expect(prunedRun.parentRunId).toBe(unprunedRun.id);
      expect(prunedRun.role).toBe('pruned');
      const names = s.listArtifacts(prunedRun.id).map((a) => a.name);
      expect(names).toEqual(
        expect.arrayContaining(['net.json', 'last.ckpt', 'evaluation.json', `${prediction.sampleId}.nii.gz`]),
      );
      const losses = s.metrics(prunedRun.id, ['loss']).map((m) => m.value);
      expect(losses).toEqual(result.pruned.history.map((h) => h.loss));
      expect(s.getPruneReport(prunedRun.id)?.layers.length).toBe(15);
    } finally {
      s.dispose();
    }
    expect(existsSync(prediction.file)).toBe(true);
  });

  it('eval re-evaluates a stored run to the same metrics; compare shows the cost ratios', async () => {
    const { stdout } = await run(
      process.execPath,
      [ranp, 'eval', '--run', String(result.pruned.runId), '--data-dir', store, '--json'],
      {
        env: { ...process.env, RANP_BACKEND: 'cpu' },
      },
    );
    const evaluation = JSON.parse(stdout) as { metrics: Record<string, number> };
    for (const [k, v] of Object.entries(result.pruned.metrics))
      expect(evaluation.metrics[k]).toBeCloseTo(v, 6);

    const compared = await run(process.execPath, [
      ranp,
      'compare',
      String(result.unpruned.runId),
      String(result.pruned.runId),
      '--data-dir',
      store,
      '--json',
    ]);
    const rows = (JSON.parse(compared.stdout) as { metrics: { name: string; ratio: number }[] }).metrics;
    expect(rows.find((r) => r.name === 'FLOPs')?.ratio).toBeCloseTo(result.ratios.flops, 9);
  });
});
