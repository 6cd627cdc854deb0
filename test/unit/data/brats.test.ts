import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BRATS_REGIONS,
  normalizeModality,
  pasteCrop,
  regionMask,
  splitBratsSubjects,
  type BratsSampleMeta,
  type BratsSubject,
} from '../../../engine/tasks/brats/index.js';
import { DataError } from '../../../engine/data/dataset.js';
import { openDataset } from '../../../engine/tasks/datasets.js';
import { writeNifti } from '../../../engine/data/nifti/write.js';
import { readNifti } from '../../../engine/data/nifti/read.js';

const DIMS = [8, 6, 4]; // (i, j, k) → samples are (D, H, W) = (4, 6, 8)
const AFFINE = [-1, 0, 0, 10, 0, 1, 0, -20, 0, 0, 2, 30, 0, 0, 0, 1];
const MODALITY_SCALE = { flair: 1, t1: 2, t1ce: 3, t2: 4 } as const;

/** A subject whose modality m has value scale(m) * (1 + voxel index) inside a box-shaped brain, tumour label 4/1/2 in a corner. */
async function writeSubject(
  root: string,
  grade: string,
  id: string,
  overrides: { labels?: (v: number) => number; dims?: Partial<Record<string, number[]>> } = {},
) {
  const n = DIMS[0] * DIMS[1] * DIMS[2];
  const brain = (v: number) => v % DIMS[0] > 0; // column i = 0 is outside the brain
  for (const [m, scale] of Object.entries(MODALITY_SCALE)) {
    const dims = overrides.dims?.[m] ?? DIMS;
    const count = dims.reduce((a, b) => a * b, 1);
    const values = Int16Array.from({ length: count }, (_, v) => (v < n && brain(v) ? scale * (1 + v) : 0));
    await writeNifti(join(root, grade, id, `${id}_${m}.nii.gz`), values, { dims, affine: AFFINE });
  }
  const label =
    overrides.labels ?? ((v: number) => (v === n - 1 ? 4 : v === n - 2 ? 1 : v === n - 9 ? 2 : 0));
  await writeNifti(
    join(root, grade, id, `${id}_seg.nii.gz`),
    Uint8Array.from({ length: n }, (_, v) => label(v)),
    { dims: DIMS, affine: AFFINE },
  );
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ranp-brats-'));
  await writeSubject(root, 'HGG', 'Brats18_A_1');
  await writeSubject(root, 'HGG', 'Brats18_B_1');
  await writeSubject(root, 'LGG', 'Brats18_C_1');
  await writeSubject(root, 'LGG', 'Brats18_D_1');
});

describe('BraTS normalization', () => {
  it('clips to the 0.2/99.8 percentiles and z-scores inside the mask (values worked out by hand)', () => {
    // Masked values 1..11: p0.2 = 1 + 0.02 = 1.02, p99.8 = 10.98; clipped mean = 66/11 = 6;
    // variance = (2 * 4.98² + 60) / 11 = 109.6008 / 11.
    const values = [99, ...Array.from({ length: 11 }, (_, n) => n + 1)];
    const mask = Uint8Array.from(values, (_, v) => (v === 0 ? 0 : 1));
    const std = Math.sqrt(109.6008 / 11);
    const out = normalizeModality(values, mask);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo((1.02 - 6) / std, 5);
    expect(out[6]).toBeCloseTo((6 - 6) / std, 5);
    expect(out[7]).toBeCloseTo((7 - 6) / std, 5);
    expect(out[11]).toBeCloseTo((10.98 - 6) / std, 5);
    // Integer volumes take a counting sort: same result.
    expect(Array.from(normalizeModality(Int16Array.from(values), mask))).toEqual(Array.from(out));
  });

  it('regions ET = 4, TC = {1, 4}, WT = > 0', () => {
    const labels = [0, 1, 2, 4];
    expect(BRATS_REGIONS.map((r) => Array.from(regionMask(labels, r)))).toEqual([
      [0, 0, 0, 1],
      [0, 1, 0, 1],
      [0, 1, 1, 1],
    ]);
  });
});

describe('subject split', () => {
  const fake = (id: string, grade: 'HGG' | 'LGG'): BratsSubject => ({
    id,
    grade,
    dir: id,
    files: {} as BratsSubject['files'],
    missing: [],
  });
  const subjects = [
    ...Array.from({ length: 10 }, (_, n) => fake(`H${n}`, 'HGG')),
    ...Array.from({ length: 5 }, (_, n) => fake(`L${n}`, 'LGG')),
  ];

  it('is stratified, disjoint, complete and seeded', () => {
    const val = splitBratsSubjects(subjects, 'val', { seed: 3 });
    const train = splitBratsSubjects(subjects, 'train', { seed: 3 });
    expect(val.filter((s) => s.grade === 'HGG')).toHaveLength(2);
    expect(val.filter((s) => s.grade === 'LGG')).toHaveLength(1);
    expect(new Set([...val, ...train].map((s) => s.id)).size).toBe(15);
    expect(train).toHaveLength(12);
    expect(splitBratsSubjects(subjects, 'val', { seed: 3 })).toEqual(val);
    const seeds = new Set(
      Array.from({ length: 6 }, (_, seed) =>
        splitBratsSubjects(subjects, 'val', { seed })
          .map((s) => s.id)
          .join(),
      ),
    );
    expect(seeds.size).toBeGreaterThan(1);
  });
});

describe('openDataset("brats")', () => {
  it('yields normalized 4-channel crops in flair, t1ce, t1, t2 order with the grid in meta', async () => {
    const ds = await openDataset('brats', root, 'val', { evalCrop: [2, 4, 4], valFraction: 0.5 });
    expect(ds.length).toBe(2);
    expect(ds.sampleSize).toEqual([2, 4, 4]);
    expect([ds.inputChannels, ds.classes]).toEqual([4, 5]);
    const sample = await ds.get(0, 0);
    expect(sample.inputShape).toEqual([2, 4, 4, 4]);
    const meta = sample.meta as unknown as BratsSampleMeta;
    // Centre crop of (4, 6, 8) by (2, 4, 4): origin (1, 1, 2).
    expect(meta.crop).toEqual({ origin: [1, 1, 2], size: [2, 4, 4] });
    expect(meta.affine).toEqual(AFFINE);
    expect(meta.volume).toEqual([4, 6, 8]);
    // Every modality is scale * (1 + v), so all four normalize to the same values; check each
    // channel against normalizing its own file, at crop voxel (d, h, w) = (1, 2, 3) → v = (2 * 6 + 3) * 8 + 5.
    const dir = join(root, meta.grade, meta.subject);
    const v = (2 * 6 + 3) * 8 + 5;
    const order = ['flair', 't1ce', 't1', 't2'];
    const raws = await Promise.all(
      order.map(async (m) => (await readNifti(join(dir, `${meta.subject}_${m}.nii.gz`))).data),
    );
    const mask = Uint8Array.from(raws[0], (x) => (x > 0 ? 1 : 0));
    const at = ((1 * 4 + 2) * 4 + 3) * 4;
    order.forEach((m, c) =>
      expect(sample.input[at + c], m).toBeCloseTo(normalizeModality(raws[c], mask)[v], 5),
    );
    // The raw scale differs per modality (1, 3, 2, 4) but not after z-scoring.
    expect(sample.input[at]).toBeCloseTo(sample.input[at + 3], 5);
  });

  it('train crops contain tumour, are reproducible per seed, and paste back onto the grid', async () => {
    const ds = await openDataset('brats', root, 'train', { trainCrop: [2, 2, 2], valFraction: 0.5 });
    for (let seed = 0; seed < 5; seed++) {
      const sample = await ds.get(seed % ds.length, seed);
      expect(
        Array.from(sample.label).some((l) => l > 0),
        `seed ${seed}`,
      ).toBe(true);
      expect((await ds.get(seed % ds.length, seed)).meta).toEqual(sample.meta);
      const meta = sample.meta as unknown as BratsSampleMeta;
      const full = pasteCrop(sample.label, meta.crop, meta.volume);
      const seg = await readNifti(meta.segFile);
      const [od, oh, ow] = meta.crop.origin;
      for (let d = 0; d < 2; d++)
        for (let h = 0; h < 2; h++)
          for (let w = 0; w < 2; w++) {
            const v = ((od + d) * 6 + oh + h) * 8 + ow + w;
            expect(full[v]).toBe(seg.data[v]);
          }
    }
  });

  it('clamps crops larger than the volume', async () => {
    const ds = await openDataset('brats', root, 'train', { valFraction: 0.5 });
    expect(ds.sampleSize).toEqual([4, 6, 8]);
    expect((await ds.get(0, 1)).inputShape).toEqual([4, 6, 8, 4]);
  });
});

describe('bad BraTS input', () => {
  it('missing modality: DataError naming the file, or a warning with skipBad', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ranp-brats-bad-'));
    await writeSubject(dir, 'HGG', 'S1');
    await writeSubject(dir, 'HGG', 'S2');
    await rm(join(dir, 'HGG', 'S2', 'S2_t1ce.nii.gz'));
    const error = await openDataset('brats', dir, 'train', { valFraction: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(join(dir, 'HGG', 'S2', 'S2_t1ce.nii.gz'));
    const warnings: DataError[] = [];
    const ds = await openDataset('brats', dir, 'train', {
      valFraction: 0,
      skipBad: true,
      onWarning: (w) => warnings.push(w),
    });
    expect(ds.length).toBe(1);
    expect(warnings.map((w) => w.file)).toEqual([join(dir, 'HGG', 'S2', 'S2_t1ce.nii.gz')]);
  });

  it('mismatched grid, unexpected label, truncated gzip: DataError at read, skipped with skipBad', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ranp-brats-bad-'));
    await writeSubject(dir, 'HGG', 'Grid', { dims: { t2: [8, 6, 3] } });
    await writeSubject(dir, 'HGG', 'Label', { labels: (v) => (v === 5 ? 3 : 0) });
    await writeSubject(dir, 'HGG', 'Gzip');
    await writeSubject(dir, 'HGG', 'Good');
    const flair = join(dir, 'HGG', 'Gzip', 'Gzip_flair.nii.gz');
    const bytes = await readFile(flair);
    await writeFile(flair, bytes.subarray(0, bytes.length - 20));
    const ds = await openDataset('brats', dir, 'train', { valFraction: 0 });
    const ids = ['Good', 'Grid', 'Gzip', 'Label'];
    const problems = await Promise.all(
      ids.map((_, i) =>
        ds.get(i, 0).then(
          () => undefined,
          (e: DataError) => e,
        ),
      ),
    );
    expect(problems[0]).toBeUndefined();
    expect(problems[1]).toMatchObject({ file: join(dir, 'HGG', 'Grid', 'Grid_t2.nii.gz') });
    expect(problems[1]?.problem).toMatch(/grid \[8, 6, 3\] differs/);
    expect(problems[2]).toMatchObject({ file: flair });
    expect(problems[2]?.problem).toMatch(/gzip/);
    expect(problems[3]).toMatchObject({ file: join(dir, 'HGG', 'Label', 'Label_seg.nii.gz') });
    expect(problems[3]?.problem).toMatch(/label 3 at voxel \(5, 0, 0\)/);
    const warnings: string[] = [];
    const skipping = await openDataset('brats', dir, 'train', {
      valFraction: 0,
      skipBad: true,
      onWarning: (w) => warnings.push(w.file),
    });
    expect((await skipping.get(1, 0)).id).toBe('Good');
    expect(warnings).toEqual([
      join(dir, 'HGG', 'Grid', 'Grid_t2.nii.gz'),
      flair,
      join(dir, 'HGG', 'Label', 'Label_seg.nii.gz'),
    ]);
  });
});
