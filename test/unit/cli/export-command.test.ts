import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostContext } from '../../../engine/host/context.js';
import { exportRun } from '../../../engine/host/handlers/runs.js';
import { ONNX_FILE, PYTORCH_MODULE_FILE, PYTORCH_WEIGHTS_FILE } from '../../../engine/interchange/index.js';
import type { NetDescription } from '../../../engine/nn/description.js';
import { buildModel } from '../../../engine/nn/model.js';
import { openStore, type Store } from '../../../engine/store/index.js';
import { loadCheckpointWeights } from '../../../engine/train/loop.js';
import { trainableNet } from '../../../engine/train/net-model.js';
import {
  engineReference,
  maxAbs,
  onnxDifference,
  torchCheck,
  torchVersion,
  TORCH_SKIP_REASON,
  type EngineReference,
} from '../interchange/export-fixtures.js';
import { ranp } from './run-ranp.js';

// `ranp export` on a run trained here by `ranp train` (real store, real checkpoint, the bundled
// ShapeNet sample), checked by the same onnxruntime and torch checks as the exporters' own tests:
// the files must reproduce the engine's forward pass with the run's best checkpoint within 1e-4
// relative to the largest output. (Relative: a trained net's batch norms, fed the checks' N(0, 1)
// batch instead of 0/1 occupancy, give logits of several hundred, where float32 rounding alone is
// ~1e-5 per unit; the exporters' own tests use random weights with outputs near 1.)

let TOLERANCE = 1e-4;
const SAMPLES = path.resolve('assets/samples/shapenet');
const dir = mkdtempSync(path.join(tmpdir(), 'ranp-export-cli-'));
const dataDir = path.join(dir, 'store');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let trainedId = 0;
let pruneId = 0;
let net: NetDescription;
let reference: EngineReference;

beforeAll(async () => {
  const config = path.join(dir, 'experiment.json');
  writeFileSync(
    config,
    JSON.stringify({
      task: 'shapenet',
      data: SAMPLES,
      width: 0.25,
      inputSize: 8,
      trainUnpruned: false,
      prune: { method: 'ranp-f', sparsity: 0.3, scoringSamples: 2 },
      train: { epochs: 1, batchSize: 2, samplesPerEpoch: 2 },
      eval: { samples: 2 },
    }),
  );
  const trained = await ranp('train', '--config', config, '--data-dir', dataDir);
  expect(trained.code, trained.err).toBe(0);
  const store = openStore({ dataDir });
  try {
    const [run] = store.listRuns({ task: 'train' });
    trainedId = run.id;
    pruneId = store.createRun({ task: 'prune', net: run.net, config: {}, status: 'running' }).id;
    store.updateRunStatus(pruneId, 'completed');
    // The engine's output with the run's own net and best checkpoint: what every export must match.
    net = JSON.parse(store.readArtifact(run.id, 'net.json').toString('utf8')) as NetDescription;
    const model = buildModel(net, { seed: 0 });
    try {
      loadCheckpointWeights(trainableNet(model), store.verifyArtifact(run.id, 'best.ckpt').path);
      reference = await engineReference(model, net.inputSize, 2, 17);
      TOLERANCE = 1e-4 * Math.max(1, maxAbs(reference.expected));
    } finally {
      model.dispose();
    }
  } finally {
    store.dispose();
  }
}, 300_000);

describe('ranp export (a run trained by ranp train)', () => {
  it('--format onnx writes model.onnx that onnxruntime runs to the engine output', async () => {
    const out = path.join(dir, 'onnx');
    const result = await ranp(
      'export',
      '--run',
      String(trainedId),
      '--format',
      'onnx',
      '--out',
      out,
      '--data-dir',
      dataDir,
    );
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`run ${trainedId} exported as onnx (best.ckpt, input 8×8×8)`);
    expect(readdirSync(out)).toEqual([ONNX_FILE]);
    const difference = await onnxDifference(path.join(out, ONNX_FILE), net, reference);
    console.info(
      `ranp export onnx: max |onnx − engine| ${difference.toExponential(2)} (outputs up to ${maxAbs(reference.expected).toFixed(3)})`,
    );
    expect(maxAbs(reference.expected)).toBeGreaterThan(1e-2);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });

  it.skipIf(!torchVersion)(
    `--format pytorch writes model.py + weights.pt that torch runs to the engine output, and trains${torchVersion ? '' : ` — ${TORCH_SKIP_REASON}`}`,
    async () => {
      const out = path.join(dir, 'pytorch');
      const result = await ranp(
        'export',
        '--run',
        String(trainedId),
        '--format',
        'pytorch',
        '--out',
        out,
        '--data-dir',
        dataDir,
        '--json',
      );
      expect(result.code, result.err).toBe(0);
      expect(JSON.parse(result.out)).toMatchObject({
        run: trainedId,
        format: 'pytorch',
        checkpoint: 'best.ckpt',
        files: [path.join(out, PYTORCH_MODULE_FILE), path.join(out, PYTORCH_WEIGHTS_FILE)],
      });
      const { difference, step } = torchCheck(out, reference, dir, 'cli');
      console.info(`ranp export pytorch: max |torch − engine| ${difference.toExponential(2)}`);
      expect(difference).toBeLessThanOrEqual(TOLERANCE);
      expect(step.finite).toBe(true);
      expect(step.changed).toBeGreaterThan(0);
    },
  );

  it('says what is wrong: unknown run, a run without weights, a folder that holds files, a bad format', async () => {
    const args = (run: number, out: string, format = 'onnx') => [
      'export',
      '--run',
      String(run),
      '--format',
      format,
      '--out',
      out,
      '--data-dir',
      dataDir,
    ];
    const unknown = await ranp(...args(999, path.join(dir, 'x1')));
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('run 999 not found');

    const untrained = await ranp(...args(pruneId, path.join(dir, 'x2')));
    expect(untrained.code).toBe(1);
    expect(untrained.err).toMatch(
      new RegExp(
        `run ${pruneId} \\(prune, completed\\) has no trained net to export as onnx: it needs net\\.json and best\\.ckpt or last\\.ckpt; it has no artifacts`,
      ),
    );
    expect(existsSync(path.join(dir, 'x2'))).toBe(false);

    const taken = path.join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'keep.txt'), 'x');
    const full = await ranp(...args(trainedId, taken));
    expect(full.code).toBe(1);
    expect(full.err).toContain(`export folder ${taken} already exists and is not empty`);
    expect(readdirSync(taken)).toEqual(['keep.txt']);

    const format = await ranp(...args(trainedId, path.join(dir, 'x3'), 'tflite'));
    expect(format.code).toBe(2);
    expect(format.err).toContain("--format must be one of onnx, pytorch, got 'tflite'");
    const missing = await ranp(
      'export',
      '--run',
      String(trainedId),
      '--format',
      'onnx',
      '--data-dir',
      dataDir,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--out DIR is required');
  });

  it("the app's runs.export writes the same formats into the data folder's exports", async () => {
    const store: Store = openStore({ dataDir });
    try {
      // Only what exportRun reads of the host context.
      const ctx = { store: () => store, dataDir } as unknown as HostContext;
      const onnx = await exportRun({ id: String(trainedId), format: 'onnx' }, ctx);
      expect(path.dirname(onnx.path)).toBe(path.join(dataDir, 'exports'));
      expect(readdirSync(onnx.path)).toEqual([ONNX_FILE]);
      expect(onnx.bytes).toBe(statSync(path.join(onnx.path, ONNX_FILE)).size);
      expect(await onnxDifference(path.join(onnx.path, ONNX_FILE), net, reference)).toBeLessThanOrEqual(
        TOLERANCE,
      );
      const torch = await exportRun({ id: String(trainedId), format: 'pytorch' }, ctx);
      expect(readdirSync(torch.path).sort()).toEqual([PYTORCH_MODULE_FILE, PYTORCH_WEIGHTS_FILE]);
      await expect(exportRun({ id: String(pruneId), format: 'onnx' }, ctx)).rejects.toMatchObject({
        code: 'not-found',
        message: expect.stringContaining('has no trained net to export as onnx'),
      });
    } finally {
      store.dispose();
    }
  });
});
