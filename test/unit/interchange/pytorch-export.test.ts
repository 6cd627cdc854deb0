import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../engine/backend/index.js';
import { exportNet, PYTORCH_MODULE_FILE, PYTORCH_WEIGHTS_FILE } from '../../../engine/interchange/index.js';
import { netToPythonModule } from '../../../engine/interchange/pytorch.js';
import type { NetDescription, Triple } from '../../../engine/nn/description.js';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import {
  EXPORT_CASES,
  engineReference,
  maxAbs,
  PYTHON,
  randomizedModel,
  ranpPrunedNet,
  torchCheck,
  torchVersion,
  TORCH_SKIP_REASON,
  weightsOf,
} from './export-fixtures.js';

const TITLE = torchVersion
  ? `PyTorch export verified by torch ${torchVersion} (${PYTHON})`
  : `PyTorch export — ${TORCH_SKIP_REASON}`;
const TOLERANCE = 1e-4;
const dir = mkdtempSync(path.join(tmpdir(), 'ranp-torch-'));

beforeAll(async () => {
  await selectBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportAndCompare(net: NetDescription, input: Triple, label: string) {
  const model = randomizedModel(net, 5);
  try {
    const reference = await engineReference(model, input, 2, 13);
    const out = path.join(dir, label);
    const files = exportNet('pytorch', { net, weights: await weightsOf(model), inputSize: input }, out);
    expect(files).toEqual([path.join(out, PYTORCH_MODULE_FILE), path.join(out, PYTORCH_WEIGHTS_FILE)]);
    const { difference, step: result } = torchCheck(out, reference, dir, label);
    console.info(
      `${label}: max |torch − engine| ${difference.toExponential(2)} (outputs up to ${maxAbs(reference.expected).toFixed(3)})`,
    );
    expect(maxAbs(reference.expected)).toBeGreaterThan(1e-2);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    // One training step ran: finite loss, parameters moved (not all need to: a ReLU6 saturated at
    // these random weights passes no gradient to the batch norm before it).
    expect(result.finite).toBe(true);
    expect(result.changed).toBeGreaterThan(0.9 * result.parameters);
  } finally {
    model.dispose();
  }
}

describe.skipIf(!torchVersion)(TITLE, () => {
  it.each(EXPORT_CASES)(
    '$net at $input: same output as the engine, and one training step runs',
    async ({ net: name, input, width }) => {
      await exportAndCompare(buildNet(name, { inputSize: input, width }), input, name);
    },
  );

  it('a RANP-pruned U-Net: same output as the engine, and one training step runs', async () => {
    const input: Triple = [16, 16, 16];
    await exportAndCompare(await ranpPrunedNet(input), input, 'unet3d-pruned');
  });
});

describe("the PyTorch module's docstring", () => {
  it("names the output by the net's output shape: class logits for a classifier, per-voxel logits for a segmenter", () => {
    const text = (name: string) =>
      netToPythonModule({ net: buildNet(name, { width: 0.125 }), weights: new Map() }).split('"""')[1];
    expect(text('mobilenetv2-3d')).toContain('output\n[batch, 101] class logits.');
    expect(text('i3d')).toContain('output\n[batch, 101] class logits.');
    expect(text('unet3d-brats')).toContain('output\n[batch, 5, D, H, W] per-voxel logits.');
  });
});
