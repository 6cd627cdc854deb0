import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabelMap } from '../../../engine/data/nifti/write.js';
import { openShapenetDataset, SHAPENET_FOLDER } from '../../../engine/tasks/shapenet/index.js';
import { EngineHost } from '../../../engine/host/host.js';
import { getVolume } from '../../../engine/host/handlers/volume.js';
import { getRun } from '../../../engine/host/handlers/runs.js';
import { openStore } from '../../../engine/store/index.js';
import { volumeArray } from '../../../engine/protocol/volume.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-shape-volume-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SAMPLES = path.resolve('assets/samples/shapenet');
const LAMP = '03636649/ranp66490001';
const GRID = 16;

describe('volume.get for ShapeNet runs', () => {
  it('serves a validation shape voxelised at the run input size with its parts, and the prediction stored under its file name', async () => {
    const val = await openShapenetDataset(path.join(SAMPLES, SHAPENET_FOLDER), 'val', { grid: GRID });
    const lamp = await val.get(val.indexOf!(LAMP), 0);
    // Labels are [D, H, W] with W fastest: the volume's (i, j, k) order, 255 where empty.
    const truth = Uint8Array.from(lamp.label);
    const prediction = truth.map((v) => (v === 255 ? 255 : 24));
    const file = path.join(dataDir, 'lamp.nii.gz');
    await writeLabelMap(file, prediction, {
      dims: [GRID, GRID, GRID],
      affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    });
    const store = openStore({ dataDir });
    const run = store.createRun({
      task: 'train',
      dataset: 'shapenet',
      net: 'unet3d-shapenet',
      role: 'unpruned',
      config: { task: 'shapenet', data: SAMPLES, inputSize: [GRID, GRID, GRID], width: 0.25 },
    });
    store.addArtifact(run.id, { kind: 'prediction', name: '03636649_ranp66490001.nii.gz', source: { file } });
    const report = { perSample: [{ id: LAMP, metrics: { iou: 0.25 } }] };
    store.addArtifact(run.id, {
      kind: 'report',
      name: 'evaluation.json',
      source: { bytes: Buffer.from(JSON.stringify(report)) },
    });
    store.dispose();
    const runId = String(run.id);
    const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
    try {
      // The prediction file is named '03636649_ranp66490001': the report's id names it.
      expect((await getRun({ id: runId }, host.context)).predictions).toEqual([LAMP]);

      const shown = await getVolume({ runId, sample: LAMP, which: 'truth' }, host.context);
      expect(shown.result).toMatchObject({
        dims: [GRID, GRID, GRID],
        dataType: 'uint8',
        kind: 'labels',
        title: 'ground truth (Lamp)',
      });
      // Lamp is the 9th category: 4+2+2+4+4+3+3+2 = 24 parts come before its four.
      expect(shown.result.parts).toEqual({ category: 'Lamp', labels: [24, 25, 26, 27] });
      const voxels = volumeArray(shown.result, shown.payload);
      expect([...voxels]).toEqual([...truth]);
      const occupied = voxels.filter((v) => v !== 255).length;
      expect(occupied).toBe(lamp.meta.occupiedVoxels);
      expect(occupied).toBeGreaterThan(20);
      expect(new Set(voxels.filter((v) => v !== 255)).size).toBeGreaterThan(1);

      const stored = await getVolume({ runId, sample: LAMP, which: 'prediction' }, host.context);
      expect([...volumeArray(stored.result, stored.payload)]).toEqual([...prediction]);

      await expect(
        getVolume({ runId, sample: '03636649/nope', which: 'truth' }, host.context),
      ).rejects.toThrow(`shape '03636649/nope' is not in the validation split of ${SAMPLES}`);
      // ShapeNet's task module names no image files (engine/tasks/shapenet/task.ts volumes): the datasets
      // whose tasks do are named.
      await expect(getVolume({ runId, sample: LAMP, which: 'image' }, host.context)).rejects.toMatchObject({
        code: 'not-available',
        message: "showing the image is available for BraTS'18 runs only",
      });
    } finally {
      host.dispose();
    }
  });
});
