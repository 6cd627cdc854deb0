import { join } from 'node:path';
import { downsampledAffine } from '../../data/nifti/affine.js';
import { readNifti } from '../../data/nifti/read.js';
import { writeNifti } from '../../data/nifti/write.js';
import { randomInt, seededRandom, type Random } from '../../data/random.js';

/**
 * A BraTS'18-layout folder made from one real T1 MRI (ITK's KmeansTest, Apache-2.0): every subject
 * is the T1 (mirrored/brightened per subject) with a synthetic tumour at a seeded position. The
 * tumour is an irregular ellipsoid: necrotic core (1) inside an enhancing rim (4; HGG only) inside
 * edema (2), and each modality shows it with its own contrast, so a net can learn it from the images.
 */
export interface BratsSampleOptions {
  /** KmeansTest_T1UCharRaw.nii.gz */
  t1File: string;
  /** KmeansTest_T1RawSkullStrip.nii.gz (tissue classes; > 0 is brain) */
  brainFile: string;
  outDir: string;
  hgg: number;
  lgg: number;
  seed: number;
  /** Block-averaging factor per axis (i, j, k); 2 turns 128x128x62 into 64x64x31. */
  factor: number;
}

interface Grid {
  dims: [number, number, number];
  data: Float32Array;
}

function blockMean(dims: number[], data: ArrayLike<number>, factor: number): Grid {
  const [ni, nj, nk] = dims;
  const out: [number, number, number] = [
    Math.floor(ni / factor),
    Math.floor(nj / factor),
    Math.floor(nk / factor),
  ];
  const values = new Float32Array(out[0] * out[1] * out[2]);
  for (let k = 0; k < out[2]; k++)
    for (let j = 0; j < out[1]; j++)
      for (let i = 0; i < out[0]; i++) {
        let sum = 0;
        for (let dk = 0; dk < factor; dk++)
          for (let dj = 0; dj < factor; dj++)
            for (let di = 0; di < factor; di++)
              sum += data[((k * factor + dk) * nj + j * factor + dj) * ni + i * factor + di];
        values[(k * out[1] + j) * out[0] + i] = sum / factor ** 3;
      }
  return { dims: out, data: values };
}

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Tissue → intensity per modality (T1 scale 0-255): [flair, t1ce, t1, t2] for necrosis, enhancing, edema. */
const TUMOUR_INTENSITY = {
  1: { flair: 150, t1ce: 35, t1: 40, t2: 235 },
  4: { flair: 190, t1ce: 245, t1: 95, t2: 180 },
  2: { flair: 240, t1ce: 110, t1: 85, t2: 215 },
} as const;

export async function makeBratsSamples(options: BratsSampleOptions): Promise<string[]> {
  const t1 = await readNifti(options.t1File);
  const brain = await readNifti(options.brainFile);
  const base = blockMean(t1.dims, t1.data, options.factor);
  const mask = blockMean(
    brain.dims,
    Array.from(brain.data, (v) => (v > 0 ? 1 : 0)),
    options.factor,
  );
  const affine = downsampledAffine(t1.affine, [options.factor, options.factor, options.factor]);
  const [ni, nj, nk] = base.dims;
  const grid = { dims: base.dims, affine, header: { qformCode: 1, sformCode: 1, xyztUnits: 2 } };
  const inBrain = (v: number) => mask.data[v] > 0.5;
  const written: string[] = [];
  const grades = [...Array(options.hgg).fill('HGG'), ...Array(options.lgg).fill('LGG')] as ('HGG' | 'LGG')[];
  for (let s = 0; s < grades.length; s++) {
    const random = seededRandom(options.seed * 1000 + s);
    const grade = grades[s];
    const id = `Brats18_RANP_${String(s + 1).padStart(2, '0')}_1`;
    const mirror = random() < 0.5;
    const gain = 0.9 + 0.2 * random();
    // Tumour centre: a brain voxel in the central half of the volume.
    let centre: number[] = [];
    for (let tries = 0; tries < 1000; tries++) {
      const c = [
        ni / 4 + randomInt(random, ni / 2),
        nj / 4 + randomInt(random, nj / 2),
        nk / 4 + randomInt(random, nk / 2),
      ].map(Math.floor);
      if (inBrain((c[2] * nj + c[1]) * ni + (mirror ? ni - 1 - c[0] : c[0]))) {
        centre = c;
        break;
      }
    }
    const radii = [5 + 4 * random(), 5 + 4 * random(), 3.5 + 2.5 * random()];
    const lumps = Array.from({ length: 3 }, () => ({
      axis: randomInt(random, 3),
      freq: 1 + randomInt(random, 3),
      phase: 2 * Math.PI * random(),
    }));
    const volumes = {
      flair: new Int16Array(base.data.length),
      t1ce: new Int16Array(base.data.length),
      t1: new Int16Array(base.data.length),
      t2: new Int16Array(base.data.length),
    };
    const seg = new Uint8Array(base.data.length);
    for (let k = 0; k < nk; k++)
      for (let j = 0; j < nj; j++)
        for (let i = 0; i < ni; i++) {
          const v = (k * nj + j) * ni + i;
          const source = (k * nj + j) * ni + (mirror ? ni - 1 - i : i);
          if (!inBrain(source)) continue;
          const b = Math.min(255, base.data[source] * gain);
          const rel = [(i - centre[0]) / radii[0], (j - centre[1]) / radii[1], (k - centre[2]) / radii[2]];
          const angle = Math.atan2(rel[1], rel[0]);
          const wobble =
            1 +
            (0.15 * lumps.reduce((sum, l) => sum + Math.sin(l.freq * angle + l.phase + rel[l.axis]), 0)) /
              lumps.length;
          const e = Math.hypot(rel[0], rel[1], rel[2]) / wobble;
          const label = e < 0.35 ? 1 : e < 0.6 ? (grade === 'HGG' ? 4 : 1) : e < 1 ? 2 : 0;
          seg[v] = label;
          // Healthy contrasts: T2 inverts T1 (fluid bright), FLAIR is T2 with fluid suppressed.
          const healthy = {
            t1: b,
            t1ce: 1.05 * b,
            t2: 40 + 0.8 * (255 - b),
            flair: b < 60 ? 30 + 0.3 * b : 60 + 0.45 * (255 - b),
          };
          for (const m of ['flair', 't1ce', 't1', 't2'] as const) {
            const value = label ? TUMOUR_INTENSITY[label as 1 | 2 | 4][m] : healthy[m];
            volumes[m][v] = Math.max(1, Math.round(value + 4 * gaussian(random)));
          }
        }
    const dir = join(options.outDir, grade, id);
    for (const m of ['flair', 't1', 't1ce', 't2'] as const) {
      const file = join(dir, `${id}_${m}.nii.gz`);
      await writeNifti(file, volumes[m], grid, { description: `RANP sample ${m} from ITK KmeansTest T1` });
      written.push(file);
    }
    const segFile = join(dir, `${id}_seg.nii.gz`);
    await writeNifti(segFile, seg, grid, { intentCode: 1002, description: 'RANP sample synthetic tumour' });
    written.push(segFile);
  }
  return written;
}
