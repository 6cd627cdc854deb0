import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabelMap, writeNifti } from '../../../engine/data/nifti/write.js';
import { EngineHost } from '../../../engine/host/host.js';
import { getVolume } from '../../../engine/host/handlers/volume.js';
import { getRun } from '../../../engine/host/handlers/runs.js';
import { openStore } from '../../../engine/store/index.js';
import { volumeArray } from '../../../engine/protocol/volume.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-volume-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const dims = [7, 5, 3];
const affine = [2, 0, 0, -7, 0, 2, 0, -5, 0, 0, 3, -4, 0, 0, 0, 1];
const voxels = dims[0] * dims[1] * dims[2];
const modality = (c: number) => Int16Array.from({ length: voxels }, (_, v) => ((v * (c + 3)) % 900) - 100);
const truth = Uint8Array.from({ length: voxels }, (_, v) => [0, 1, 2, 4][v % 4]);

async function setUp() {
  const dir = path.join(dataDir, 'brats', 'HGG', 'S1');
  mkdirSync(dir, { recursive: true });
  const names = ['flair', 't1ce', 't1', 't2'];
  for (const [c, name] of names.entries())
    await writeNifti(path.join(dir, `S1_${name}.nii.gz`), modality(c), { dims, affine });
  await writeLabelMap(path.join(dir, 'S1_seg.nii.gz'), truth, { dims, affine });
  const prediction = path.join(dataDir, 'S1.nii.gz');
  await writeLabelMap(
    prediction,
    truth.map((v) => (v === 2 ? 3 : v)),
    { dims, affine },
  );
  const store = openStore({ dataDir });
  const run = store.createRun({
    task: 'train',
    dataset: 'brats',
    net: 'unet3d-brats',
    role: 'unpruned',
    config: { data: path.join(dataDir, 'brats') },
  });
  store.addArtifact(run.id, { kind: 'prediction', name: 'S1.nii.gz', source: { file: prediction } });
  const report = { perSample: [{ id: 'S1', metrics: { dice: 0.5, hd95: null } }] };
  store.addArtifact(run.id, {
    kind: 'report',
    name: 'evaluation.json',
    source: { bytes: Buffer.from(JSON.stringify(report)) },
  });
  store.dispose();
  return String(run.id);
}

describe('volume.get', () => {
  it('sends the MRI at full resolution, int16 modalities as int16, channel after channel; predictions as stored', async () => {
    const runId = await setUp();
    const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
    try {
      const image = await getVolume({ runId, sample: 'S1', which: 'image' }, host.context);
      expect(image.result).toMatchObject({
        dims,
        dataType: 'int16',
        channels: ['flair', 't1ce', 't1', 't2'],
        title: 'MRI',
      });
      expect(image.result.downsampled).toBeUndefined();
      const data = new Int16Array(image.payload!.buffer, image.payload!.byteOffset, voxels * 4);
      for (let c = 0; c < 4; c++)
        expect([...data.subarray(c * voxels, (c + 1) * voxels)]).toEqual([...modality(c)]);
      expect(image.result.affine).toEqual(affine);

      // Label maps travel run-length encoded: 0,1,2,4 repeating is a run per voxel here.
      const prediction = await getVolume({ runId, sample: 'S1', which: 'prediction' }, host.context);
      expect(prediction.result.runs).toBe(voxels);
      expect([...volumeArray(prediction.result, prediction.payload)]).toEqual([
        ...truth.map((v) => (v === 2 ? 3 : v)),
      ]);

      const detail = await getRun({ id: runId }, host.context);
      // The report's NaN metric (stored as null) is left out, the rest kept.
      expect(detail.perSample).toEqual([{ id: 'S1', metrics: { dice: 0.5 } }]);
    } finally {
      host.dispose();
    }
  });

  it('sends the asked channels only, names all of them, and serves a case again from its cache', async () => {
    const runId = await setUp();
    const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
    try {
      const first = await getVolume({ runId, sample: 'S1', which: 'image', channels: [0] }, host.context);
      expect(first.result.channels).toEqual(['flair']);
      expect(first.result.allChannels).toEqual(['flair', 't1ce', 't1', 't2']);
      expect(first.payload.byteLength).toBe(voxels * 2);
      expect([...new Int16Array(first.payload.buffer, first.payload.byteOffset, voxels)]).toEqual([
        ...modality(0),
      ]);
      expect(host.context.volumes.size).toBe(1);

      const rest = await getVolume({ runId, sample: 'S1', which: 'image', channels: [3, 1] }, host.context);
      expect(rest.result.channels).toEqual(['t2', 't1ce']);
      const data = new Int16Array(rest.payload.buffer, rest.payload.byteOffset, voxels * 2);
      expect([...data.subarray(0, voxels)]).toEqual([...modality(3)]);
      expect([...data.subarray(voxels)]).toEqual([...modality(1)]);
      expect(rest.result.ranges[0]).toEqual([Math.min(...modality(3)), Math.max(...modality(3))]);
      expect(host.context.volumes.size).toBe(3);

      // All four: flair, t1ce and t2 come from the cache, only t1 is read.
      const all = await getVolume({ runId, sample: 'S1', which: 'image' }, host.context);
      expect(all.result.allChannels).toBeUndefined();
      expect(host.context.volumes.size).toBe(4);
      const once = await getVolume({ runId, sample: 'S1', which: 'prediction' }, host.context);
      const again = await getVolume({ runId, sample: 'S1', which: 'prediction' }, host.context);
      expect(host.context.volumes.size).toBe(5);
      // Sent again as encoded the first time (no second pass over the voxels); a new header each time.
      expect(again.payload).toBe(once.payload);
      expect(again.result).toEqual(once.result);
      expect(again.result).not.toBe(once.result);
      const otherFit = await getVolume(
        { runId, sample: 'S1', which: 'prediction', maxTextureSize: 4 },
        host.context,
      );
      expect(otherFit.payload).not.toBe(once.payload);
      expect(otherFit.result.dims).toEqual([4, 3, 3]);
      expect(host.context.volumes.bytes).toBe(voxels * 2 * 4 + voxels);

      await expect(
        getVolume({ runId, sample: 'S1', which: 'image', channels: [4] }, host.context),
      ).rejects.toThrow('channel 4 does not exist: the image has 4 (0 flair, 1 t1ce, 2 t1, 3 t2)');
      await expect(
        getVolume({ runId, sample: 'S1', which: 'truth', channels: [0] }, host.context),
      ).rejects.toThrow('channels apply to the image only, not to the truth');
      await expect(getVolume({ runId, sample: 'S9', which: 'truth' }, host.context)).rejects.toMatchObject({
        code: 'not-found',
        message: `sample 'S9' is not in ${path.join(dataDir, 'brats')}`,
      });
    } finally {
      host.dispose();
    }
  });

  it("fits each volume to the viewer's limits sent with the request: every f-th voxel per axis, f named", async () => {
    const runId = await setUp();
    const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
    try {
      // 7×5×3 within a texture size of 3: ceil(7/3), ceil(5/3), ceil(3/3) = 3, 2, 1 → 3×3×3.
      const image = await getVolume(
        { runId, sample: 'S1', which: 'image', channels: [1], maxTextureSize: 3 },
        host.context,
      );
      expect(image.result.downsampled).toEqual([3, 2, 1]);
      expect(image.result.sourceDims).toEqual([7, 5, 3]);
      expect(image.result.dims).toEqual([3, 3, 3]);
      const kept = new Int16Array(image.payload.buffer, image.payload.byteOffset, 27);
      // Voxel (i', j', k') is voxel (3i', 2j', k'): index 3i' + 7·2j' + 35k'.
      for (const [i, j, k] of [
        [0, 0, 0],
        [2, 1, 0],
        [1, 2, 2],
      ])
        expect(kept[i + 3 * (j + 3 * k)]).toBe(modality(1)[3 * i + 7 * (2 * j + 5 * k)]);
      // Voxel sizes 2/2/3 mm become 6/4/3 mm; voxel 0 stays where it was.
      expect(image.result.affine).toEqual([6, 0, 0, -7, 0, 4, 0, -5, 0, 0, 3, -4, 0, 0, 0, 1]);

      // Texture size 4 gives 2/2/1 (4×3×3 = 36 voxels); a budget of 10 voxels then coarsens the longest
      // axis, the first of equal ones, until it fits: 3/2/1 (27), 4/2/1 (2×3×3 = 18), 4/3/1 (12), 4/3/2 (8).
      const seg = await getVolume(
        { runId, sample: 'S1', which: 'truth', maxTextureSize: 4, maxVoxels: 10 },
        host.context,
      );
      expect(seg.result.downsampled).toEqual([4, 3, 2]);
      expect(seg.result.dims).toEqual([2, 2, 2]);
      const labels = volumeArray(seg.result, seg.payload);
      expect([...labels]).toEqual(
        [0, 1].flatMap((k) =>
          [0, 1].flatMap((j) => [0, 1].map((i) => truth[4 * i + 7 * (3 * j + 5 * 2 * k)])),
        ),
      );

      // Within the limits (the GPU's own 2048 here): full resolution, nothing named.
      const full = await getVolume(
        { runId, sample: 'S1', which: 'prediction', maxTextureSize: 2048, maxVoxels: voxels },
        host.context,
      );
      expect(full.result.dims).toEqual(dims);
      expect(full.result.downsampled).toBeUndefined();
      expect(full.result.sourceDims).toBeUndefined();
    } finally {
      host.dispose();
    }
  });
});
