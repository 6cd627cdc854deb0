import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/backend/index.js';
import { exportNet, ONNX_FILE } from '../../../engine/interchange/index.js';
import { FILTER_TO_CHANNELS_FIRST, permute } from '../../../engine/interchange/layout.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import {
  EXPORT_CASES,
  engineReference,
  maxAbs,
  onnxDifference,
  randomizedModel,
  ranpPrunedNet,
  weightsOf,
} from './export-fixtures.js';

// The exported ONNX model runs in onnxruntime-node (CPU) on the same NCDHW batch as the engine's
// NDHWC forward (inference mode); outputs must agree within 1e-4.
const TOLERANCE = 1e-4;
const dir = mkdtempSync(path.join(tmpdir(), 'ranp-onnx-'));

beforeAll(async () => {
  await selectBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportAndCompare(net: NetDescription, input: Triple, label: string) {
  const model = randomizedModel(net, 3);
  try {
    const reference = await engineReference(model, input, 2, 11);
    const out = path.join(dir, label);
    const files = exportNet('onnx', { net, weights: await weightsOf(model), inputSize: input }, out);
    expect(files).toEqual([path.join(out, ONNX_FILE)]);
    const difference = await onnxDifference(files[0], net, reference);
    console.info(
      `${label}: max |onnx − engine| ${difference.toExponential(2)} (outputs up to ${maxAbs(reference.expected).toFixed(3)})`,
    );
    // The comparison means something only if the output is not (near) constant.
    expect(maxAbs(reference.expected)).toBeGreaterThan(1e-2);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
  } finally {
    model.dispose();
  }
}

describe('ONNX export verified by onnxruntime-node (CPU)', () => {
  it.each(EXPORT_CASES)('$net at $input: same output as the engine', async ({ net: name, input, width }) => {
    await exportAndCompare(buildNet(name, { inputSize: input, width }), input, name);
  });

  it('a RANP-pruned U-Net: same output as the engine', async () => {
    const input: Triple = [16, 16, 16];
    const pruned = await ranpPrunedNet(input);
    const full = buildNet('unet3d-shapenet', { inputSize: input, width: 0.25 });
    // The pruned net really is smaller, so its export differs from the full net's.
    const channels = (net: NetDescription) =>
      net.nodes.reduce((sum, n) => sum + (n.kind === 'conv3d' ? n.attrs.outChannels : 0), 0);
    expect(channels(pruned)).toBeLessThan(channels(full));
    await exportAndCompare(pruned, input, 'unet3d-pruned');
  });
});

describe('export input checks', () => {
  const net = buildNet('unet3d-brats', { inputSize: [8, 8, 8], width: 0.125 });

  it('refuses weights that do not fit the net, naming the parameter, and writes nothing', () => {
    const out = path.join(dir, 'bad-weights');
    expect(() => exportNet('onnx', { net, weights: new Map() }, out)).toThrow(
      /weights for net 'unet3d-brats': missing parameters: enc0\.1\.conv\.weight/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder that already holds files, and an unknown format', async () => {
    const model = randomizedModel(net, 1);
    const weights = await weightsOf(model);
    model.dispose();
    const out = path.join(dir, 'taken');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'x');
    expect(() => exportNet('onnx', { net, weights }, out)).toThrow(/already exists and is not empty/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(() => exportNet('tflite', { net, weights }, path.join(dir, 'x'))).toThrow(
      /unknown export format 'tflite' \(known: onnx/,
    );
  });
});

describe('channels-last → channels-first permutation', () => {
  it('moves a [kd, kh, kw, in, out] filter to [out, in, kd, kh, kw] (checked element by element)', () => {
    const shape = [2, 1, 3, 2, 4];
    const values = Float32Array.from({ length: 48 }, (_, i) => i);
    const { shape: outShape, values: out } = permute({ shape, values }, FILTER_TO_CHANNELS_FIRST);
    expect(outShape).toEqual([4, 2, 2, 1, 3]);
    // value at (d, h, w, i, o) = (((d·1 + h)·3 + w)·2 + i)·4 + o
    for (let o = 0; o < 4; o++)
      for (let i = 0; i < 2; i++)
        for (let d = 0; d < 2; d++)
          for (let w = 0; w < 3; w++)
            expect(out[(((o * 2 + i) * 2 + d) * 1 + 0) * 3 + w]).toBe(((d * 3 + w) * 2 + i) * 4 + o);
  });
});
