import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../engine/data/nifti/read.js';
import { readCheckpoint } from '../../engine/train/checkpoint.js';
import type { ExperimentChildResult } from './webgpu-experiment-child.js';
import { requireAdapter, runOnBackend, UNAVAILABLE } from './webgpu-child.js';
import { TINY_BRATS_AFFINE, TINY_BRATS_SIZE, writeTinyBrats } from './train-fixtures.js';

// A whole experiment on WebGPU (Dawn on Mesa's software Vulkan here) against the same experiment on
// the cpu backend: nothing on the way may read a GPU tensor synchronously (Node has no sync
// readback), and the numbers must agree.

await tf.setBackend('cpu');

const child = join(import.meta.dirname, 'webgpu-experiment-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'ranp-webgpu-experiment-'));
const data = join(dir, 'brats');
beforeAll(() => writeTinyBrats(data, 5));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Relative tolerance of each epoch's mean loss. The first step's loss agrees to float32 rounding
 * (~1e-6, webgpu-step.test.ts); every later step starts from weights that differ by rounding, and
 * Adam divides each gradient by its own running magnitude, so a weight whose gradient is at rounding
 * level can move by up to lr = 0.01 differently on the two backends. Measured: epoch losses differ
 * by ≤ 1.3e-5 relative. 1e-3 leaves ~75× headroom and stays well below the learning signal it must
 * not hide: the loss falls ~6% per epoch here, and a broken kernel (zeros, a wrong gradient) moves
 * it by that much or more.
 */
const LOSS_TOLERANCE = 1e-3;

type ChildOutcome =
  { ok: true; result: ExperimentChildResult } | { ok: false; code: number | null; output: string };

async function runExperimentOn(backend: 'cpu' | 'webgpu'): Promise<ChildOutcome> {
  const work = join(dir, backend);
  mkdirSync(work);
  // The cpu backend's resume is checked by train-resume.test.ts; here only WebGPU's.
  const args = backend === 'webgpu' ? [child, data, work, '--resume'] : [child, data, work];
  const exit = await runOnBackend(backend, args);
  if (!exit.ok) return exit;
  return {
    ok: true,
    result: JSON.parse(readFileSync(join(work, 'result.json'), 'utf8')) as ExperimentChildResult,
  };
}

/** Checkpoint tensor layout (name and shape) and whether every value is finite. */
function checkpointLayout(file: string): { history: number[]; layout: string[]; finite: boolean } {
  const { meta, tensors } = readCheckpoint<{ history: { loss: number }[] }>(file);
  try {
    const values = [...tensors.values()].flatMap((t) => Array.from(t.dataSync()));
    return {
      history: meta.history.map((h) => h.loss),
      layout: [...tensors].map(([name, t]) => `${name} ${t.shape.join('x')}`),
      finite: values.every(Number.isFinite),
    };
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

describe('a whole experiment on the WebGPU backend against the cpu backend', () => {
  it('scores, prunes, trains both nets, checkpoints, evaluates and writes predictions; same pruned net, same loss curves; resumes after a cancel', async (ctx) => {
    const [webgpu, cpu] = await Promise.all([runExperimentOn('webgpu'), runExperimentOn('cpu')]);
    if (!webgpu.ok && webgpu.code === UNAVAILABLE)
      requireAdapter(ctx, /^unavailable: (.*)$/m.exec(webgpu.output)?.[1] ?? webgpu.output);
    if (!webgpu.ok) throw new Error(`webgpu child exited ${webgpu.code}:\n${webgpu.output}`);
    if (!cpu.ok) throw new Error(`cpu child exited ${cpu.code}:\n${cpu.output}`);
    const gpu = webgpu.result;
    const ref = cpu.result;
    expect([gpu.chosen, gpu.tfBackend]).toEqual(['webgpu', 'webgpu']);
    expect([ref.chosen, ref.tfBackend]).toEqual(['cpu', 'cpu']);

    // RANP's scores agree to ~5e-6, so the same channels survive: the same pruned net.
    expect(gpu.pruned.channels).toEqual(ref.pruned.channels);
    expect(gpu.unpruned.channels).toEqual(ref.unpruned.channels);
    expect(Object.values(gpu.pruned.channels).reduce((a, b) => a + b)).toBeLessThan(
      Object.values(gpu.unpruned.channels).reduce((a, b) => a + b),
    );

    const lines: string[] = [];
    for (const role of ['unpruned', 'pruned'] as const) {
      const [g, c] = [gpu[role], ref[role]];
      expect(g.losses).toHaveLength(2);
      expect(c.losses).toHaveLength(2);
      const rel = g.losses.map((loss, epoch) => Math.abs(loss - c.losses[epoch]) / c.losses[epoch]);
      lines.push(
        `${role}: webgpu ${g.losses.join(', ')} vs cpu ${c.losses.join(', ')} (rel ${rel.map((r) => r.toExponential(1)).join(', ')})`,
      );
      for (const r of rel) expect(r, role).toBeLessThan(LOSS_TOLERANCE);
      // It learned: a net that did not train (a no-op step) would not pass with matching curves alone.
      expect(g.losses[1]).toBeLessThan(g.losses[0]);

      // The WebGPU checkpoint was written (tensors read back from the GPU) with the cpu run's layout.
      if (!g.checkpoint || !c.checkpoint) throw new Error(`${role}: no checkpoint reported`);
      const gpuCheckpoint = checkpointLayout(g.checkpoint);
      expect(gpuCheckpoint.history).toEqual(g.losses);
      expect(gpuCheckpoint.layout).toEqual(checkpointLayout(c.checkpoint).layout);
      expect(gpuCheckpoint.finite).toBe(true);

      // Predictions (sliding-window logits read back from the GPU): BraTS labels on the input grid.
      expect(g.predictions.map((p) => p.sampleId)).toEqual(c.predictions.map((p) => p.sampleId));
      expect(g.predictions.length).toBeGreaterThan(0);
      for (const p of g.predictions) {
        expect(existsSync(p.file)).toBe(true);
        const image = await readNifti(p.file);
        expect(image.dims.slice(0, 3)).toEqual([TINY_BRATS_SIZE, TINY_BRATS_SIZE, TINY_BRATS_SIZE]);
        expect(image.affine.map((v) => Number(v.toFixed(4)))).toEqual(TINY_BRATS_AFFINE);
        expect(Array.from(image.data as ArrayLike<number>).every((v) => [0, 1, 2, 4].includes(v))).toBe(true);
      }
      for (const key of ['dice et', 'dice tc', 'dice wt']) expect(g.metrics[key]).toBeGreaterThanOrEqual(0);
    }
    // Cancelled mid-epoch and resumed from its checkpoints on the same backend: the same run. Exact,
    // as on the cpu backend (train-resume.test.ts): the same kernels on the same device repeat bit
    // for bit (observed here).
    if (!gpu.resumed) throw new Error('webgpu child: no resume result');
    // It continued inside epoch 2 (a restart from scratch would give the same curves).
    expect(gpu.resumed.log).toEqual([expect.stringMatching(/unpruned.last\.ckpt: epoch 2, step [1-3]\/4$/)]);
    expect(gpu.resumed.unpruned).toEqual(gpu.unpruned.losses);
    expect(gpu.resumed.pruned).toEqual(gpu.pruned.losses);
    console.log(`webgpu vs cpu experiment losses:\n  ${lines.join('\n  ')}`);
  });
});
