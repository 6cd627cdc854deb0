import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../engine/backend/doctor.js';
import type { StepChildResult, StepTensorEntry } from './webgpu-step-child.js';
import { requireAdapter, runOnBackend, UNAVAILABLE } from './webgpu-child.js';

// The WebGPU path on every commit, without a GPU: Dawn on Mesa's software Vulkan (lavapipe) runs
// the same training steps as tfjs's cpu kernels, and every number of each step must agree.

const child = join(import.meta.dirname, 'webgpu-step-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'ranp-webgpu-step-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Tolerances. float32 rounds each operation to u = 6e-8 relative; the backends sum in different
 * orders, so a reduction of K terms differs by about sqrt(K)·u of the terms' magnitude (K·u at
 * worst). The largest reductions here are the weight gradients and batch statistics over
 * 2·16³ = 8192 positions (sqrt(K)·u ≈ 5e-6), compounded through ~30 layers of backpropagation.
 * Measured: ≤ 5e-6 of each tensor's largest entry. 1e-4 leaves 20× headroom and is still four
 * orders below what a real kernel bug gives (a mis-broadcast returning zeros, a wrong gradient: O(1)).
 */
const TENSOR_TOLERANCE = 1e-4;
/** The loss is one mean of ~6000 log-probabilities: ~sqrt(6000)·u ≈ 5e-6 at worst. */
const LOSS_TOLERANCE = 1e-5;
/** One SGD update is three float32 operations on each weight: a few u of the weight's magnitude. */
const UPDATE_TOLERANCE = 1e-6;

interface StepRun {
  result: StepChildResult;
  values: Float32Array;
}

type ChildOutcome = { ok: true; run: StepRun } | { ok: false; code: number | null; output: string };

async function runStep(backend: 'cpu' | 'webgpu'): Promise<ChildOutcome> {
  const prefix = join(dir, backend);
  const exit = await runOnBackend(backend, [child, prefix]);
  if (!exit.ok) return exit;
  const result = JSON.parse(readFileSync(`${prefix}.json`, 'utf8')) as StepChildResult;
  const bytes = readFileSync(`${prefix}.bin`);
  // A copy: a Buffer's byteOffset need not be a multiple of 4.
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { ok: true, run: { result, values } };
}

function tensorOf(run: StepRun, kind: StepTensorEntry['kind'], key: string): Float32Array {
  const entry = run.result.entries.find((e) => e.kind === kind && e.key === key);
  if (!entry) throw new Error(`${run.result.chosen}: no '${kind}' tensor for '${key}'`);
  return run.values.subarray(entry.offset, entry.offset + entry.length);
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/**
 * Largest absolute difference (Infinity when either side is NaN), and that over the reference's
 * largest magnitude (normwise relative error).
 */
function compare(reference: Float32Array, other: Float32Array): { abs: number; rel: number } {
  let abs = 0;
  for (let i = 0; i < reference.length; i++) {
    const difference = Math.abs(reference[i] - other[i]);
    abs = Number.isNaN(difference) ? Infinity : Math.max(abs, difference);
  }
  const scale = maxAbs(reference);
  return { abs, rel: scale > 0 ? abs / scale : abs };
}

describe('WebGPU backend (Dawn on Mesa lavapipe) against the cpu backend', () => {
  it('ranp doctor names the adapter; a software one is used only when forced', (ctx) => {
    const stdout = execFileSync(
      process.execPath,
      [join(import.meta.dirname, '../../bin/ranp.js'), 'doctor', '--json'],
      {
        env: { ...process.env, RANP_BACKEND: '' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const report = JSON.parse(stdout) as DoctorReport;
    if (!('report' in report.backend)) throw new Error(report.backend.error);
    const webgpu = report.backend.report.reasons.find((r) => r.backend === 'webgpu');
    if (!webgpu) throw new Error('doctor: no webgpu line');
    if (/no WebGPU adapter/.test(webgpu.why)) requireAdapter(ctx, webgpu.why);
    if (report.backend.report.chosen === 'webgpu')
      expect(webgpu.why).toMatch(/^chosen: WebGPU adapter (?!.*software fallback)/);
    else {
      // Unless tfjs-node(-gpu) is installed, webgpu is reached and declined for being software.
      expect(webgpu.available).toBe(false);
      expect(webgpu.why).toMatch(/^available, but only a software adapter \(.+\).*RANP_BACKEND=webgpu/);
    }
  });

  it('training steps (3D-UNet, layer coverage, classifier) and RANP scores: same losses, gradients, updated weights, scores', async (ctx) => {
    const [webgpu, cpu] = await Promise.all([runStep('webgpu'), runStep('cpu')]);
    if (!webgpu.ok && webgpu.code === UNAVAILABLE)
      requireAdapter(ctx, /^unavailable: (.*)$/m.exec(webgpu.output)?.[1] ?? webgpu.output);
    if (!webgpu.ok) throw new Error(`webgpu child exited ${webgpu.code}:\n${webgpu.output}`);
    if (!cpu.ok) throw new Error(`cpu child exited ${cpu.code}:\n${cpu.output}`);
    const gpuRun = webgpu.run;
    const cpuRun = cpu.run;

    // Each child really ran where it was told to.
    expect(gpuRun.result.chosen).toBe('webgpu');
    expect(gpuRun.result.tfBackend).toBe('webgpu');
    expect(gpuRun.result.chosenWhy).toMatch(/^chosen: WebGPU adapter \S/);
    expect(cpuRun.result.chosen).toBe('cpu');
    expect(cpuRun.result.tfBackend).toBe('cpu');
    // Node has no synchronous GPU readback: the engine says so instead of "OffscreenCanvas is not defined".
    expect(cpuRun.result.syncRead).toBe('ok');
    expect(gpuRun.result.syncRead).toMatch(/^webgpu backend in Node: dataSync\(\).*await tensor\.data\(\)/);
    const layout = (r: StepChildResult) => r.entries.map((e) => `${e.kind} ${e.key} ${e.shape.join('x')}`);
    expect(layout(gpuRun.result)).toEqual(layout(cpuRun.result));

    // Same starting point: the seeded initialization does not depend on the backend.
    const keys = cpuRun.result.entries.filter((e) => e.kind === 'before').map((e) => e.key);
    for (const key of keys) expect(tensorOf(gpuRun, 'before', key)).toEqual(tensorOf(cpuRun, 'before', key));

    const cases = Object.keys(cpuRun.result.losses);
    expect(cases).toEqual(['unet3d-shapenet', 'layer-coverage', 'classifier']);
    const lossRel = Object.fromEntries(
      cases.map((c) => {
        const reference = cpuRun.result.losses[c];
        return [c, Math.abs((gpuRun.result.losses[c] ?? NaN) - reference) / Math.abs(reference)];
      }),
    );
    const rows = cpuRun.result.entries
      .filter((e) => e.kind !== 'before')
      .map((e) => ({
        tensor: `${e.kind} ${e.key}`,
        ...compare(tensorOf(cpuRun, e.kind, e.key), tensorOf(gpuRun, e.kind, e.key)),
      }))
      .sort((a, b) => b.rel - a.rel);
    const worstAbs = Math.max(...rows.map((r) => r.abs));
    const losses = cases.map(
      (c) =>
        `${c} ${gpuRun.result.losses[c]} vs ${cpuRun.result.losses[c]} (rel ${lossRel[c].toExponential(2)})`,
    );
    console.log(
      `webgpu vs cpu (${gpuRun.result.chosenWhy.replace(/^chosen: /, '')}): losses ${losses.join(', ')}; ` +
        `${rows.length} tensors, max abs error ` +
        `${worstAbs.toExponential(2)}, max relative error ${rows[0].rel.toExponential(2)} (${rows[0].tensor}); worst:\n` +
        rows
          .slice(0, 5)
          .map((r) => `  ${r.tensor}: abs ${r.abs.toExponential(2)}, rel ${r.rel.toExponential(2)}`)
          .join('\n'),
    );

    const grads = cpuRun.result.entries.filter((e) => e.kind === 'grad');
    // The U-Net alone has 15 convs with their batch norms: a step that touched nothing would pass trivially.
    expect(grads.length).toBeGreaterThan(40);
    for (const g of grads) expect(maxAbs(tensorOf(cpuRun, 'grad', g.key)), g.key).toBeGreaterThan(0);
    for (const c of cases) expect(lossRel[c], c).toBeLessThan(LOSS_TOLERANCE);
    // RANP's weight scores of the 3D-UNet's 15 prunable convs are compared like the gradients.
    expect(cpuRun.result.entries.filter((e) => e.kind === 'score')).toHaveLength(15);
    for (const r of rows) expect(r.rel, r.tensor).toBeLessThan(TENSOR_TOLERANCE);

    // The update on WebGPU is the SGD step computed by hand from its own weights and gradients:
    // the first Nesterov step is p − lr·(1 + momentum)·(g + weightDecay·p).
    const { lr, momentum, weightDecay } = gpuRun.result.sgd;
    for (const g of grads) {
      const before = tensorOf(gpuRun, 'before', g.key);
      const grad = tensorOf(gpuRun, 'grad', g.key);
      const expected = before.map((p, i) => p - lr * (1 + momentum) * (grad[i] + weightDecay * p));
      const after = tensorOf(gpuRun, 'after', g.key);
      expect(compare(before, after).abs, g.key).toBeGreaterThan(0);
      expect(compare(after, expected).rel, g.key).toBeLessThan(UPDATE_TOLERANCE);
    }
  });
});
