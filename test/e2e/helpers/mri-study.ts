/**
 * A stored BraTS study at MRI resolution for the viewer's end-to-end tests: the Debian ITK T1 and its
 * k-means label map resampled (nearest) onto a 181×217×181 1 mm grid, written as real .nii.gz files in
 * the BraTS layout, plus a real store with an unpruned and a pruned run of one experiment whose stored
 * predictions and evaluation reports the viewer opens through the engine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeNifti } from '../../../engine/data/nifti/write.js';
import { openStore } from '../../../engine/store/index.js';
import { ITK, readLabelFixture, readNiftiFixture } from '../viewer-support.js';

export const STUDY_DIMS: [number, number, number] = [181, 217, 181];
/** MNI-like 1 mm RAS grid: voxel (90, 126, 72) at the origin. */
export const STUDY_AFFINE = [1, 0, 0, -90, 0, 1, 0, -126, 0, 0, 1, -72, 0, 0, 0, 1];
/** ITK k-means labels → BraTS labels (4, 5 tumour-like, 6 edema-like; the rest background). */
const TO_BRATS = [0, 0, 0, 0, 1, 4, 2];

export interface StudyCase {
  id: string;
  modalities: Record<'flair' | 't1ce' | 't1' | 't2', Int16Array>;
  truth: Uint8Array;
  unpruned: Uint8Array;
  pruned: Uint8Array;
}

export interface Study {
  folder: string;
  cases: StudyCase[];
  unprunedRunId: number;
  prunedRunId: number;
  /** A second unpruned run of another experiment: the pairing must not pick it by default. */
  otherRunId: number;
}

export const studyIndex = (i: number, j: number, k: number): number =>
  i + STUDY_DIMS[0] * (j + STUDY_DIMS[1] * k);

/** Nearest resampling of an ITK fixture onto the study grid (the fixture stretched to fill it). */
function resample<T extends Uint8Array | Int16Array>(
  source: { dims: [number, number, number]; data: Uint8Array | Int16Array },
  make: (n: number) => T,
  map: (v: number) => number,
): T {
  const [si, sj, sk] = source.dims;
  const [ni, nj, nk] = STUDY_DIMS;
  const out = make(ni * nj * nk);
  for (let k = 0; k < nk; k++) {
    const ks = Math.min(sk - 1, Math.floor((k * sk) / nk));
    for (let j = 0; j < nj; j++) {
      const js = Math.min(sj - 1, Math.floor((j * sj) / nj));
      for (let i = 0; i < ni; i++) {
        const is = Math.min(si - 1, Math.floor((i * si) / ni));
        out[studyIndex(i, j, k)] = map(source.data[is + si * (js + sj * ks)]);
      }
    }
  }
  return out;
}

function makeCase(id: string, shift: number): StudyCase {
  const t1 = readNiftiFixture(path.join(ITK, 'KmeansTest_T1UCharRaw.nii.gz'));
  const labels = readLabelFixture(path.join(ITK, 'KmeansTest_T1KmeansPrelimSegmentation.nii.gz'));
  const base = resample(
    t1,
    (n) => new Int16Array(n),
    (v) => v * 4,
  );
  const modalities = {
    flair: base.map((v) => (v ? 1200 - v : 0)),
    t1ce: base.map((v) => v + 37),
    t1: base,
    t2: base.map((v) => Math.round(v * 1.5)),
  };
  const truth = resample(
    labels,
    (n) => new Uint8Array(n),
    (v) => TO_BRATS[v] ?? 0,
  );
  // Unpruned: edema predicted as label 3 (which BraTS does not use) in the upper half; pruned: shifted in i.
  const unpruned = truth.map((v, at) => (v === 2 && at > truth.length / 2 ? 3 : v));
  const pruned = new Uint8Array(truth.length);
  for (let v = 0; v < truth.length; v++) {
    const i = v % STUDY_DIMS[0];
    pruned[v] = truth[i >= shift ? v - shift : v];
  }
  return { id, modalities, truth, unpruned, pruned };
}

/** Dice of label-union "whole tumour" (labels ≠ 0), computed here for the stored evaluation reports. */
export function wholeTumourDice(prediction: Uint8Array, truth: Uint8Array): number {
  let both = 0;
  let p = 0;
  let t = 0;
  for (let v = 0; v < truth.length; v++) {
    const a = prediction[v] !== 0;
    const b = truth[v] !== 0;
    if (a) p++;
    if (b) t++;
    if (a && b) both++;
  }
  return p + t === 0 ? 1 : (2 * both) / (p + t);
}

function writeNii(file: string, voxels: Uint8Array | Int16Array, label = false): void {
  const bytes = encodeNifti(
    voxels,
    { dims: STUDY_DIMS, affine: STUDY_AFFINE },
    label ? { intentCode: 1002 } : {},
  );
  writeFileSync(file, gzipSync(bytes, { level: 1 }));
}

/** Writes the study into `dataDir` (the engine's data folder, so the engine may read it). */
export function writeStudy(dataDir: string): Study {
  const folder = path.join(dataDir, 'study');
  const cases = [makeCase('Case_01', 3), makeCase('Case_02', 9)];
  for (const c of cases) {
    const dir = path.join(folder, 'HGG', c.id);
    mkdirSync(dir, { recursive: true });
    for (const [name, voxels] of Object.entries(c.modalities))
      writeNii(path.join(dir, `${c.id}_${name}.nii.gz`), voxels);
    writeNii(path.join(dir, `${c.id}_seg.nii.gz`), c.truth, true);
  }
  const store = openStore({ dataDir });
  try {
    const config = { task: 'brats', data: folder };
    const common = {
      task: 'train' as const,
      dataset: 'brats',
      net: 'unet3d-brats',
      config,
      status: 'running' as const,
    };
    const other = store.createRun({ ...common, name: 'other experiment unpruned', role: 'unpruned' });
    const unpruned = store.createRun({ ...common, name: 'study unpruned', role: 'unpruned' });
    const pruned = store.createRun({
      ...common,
      name: 'study pruned',
      role: 'pruned',
      method: 'ranp-f',
      sparsity: 0.5,
      parentRunId: unpruned.id,
    });
    const predictionsDir = path.join(dataDir, 'predictions-in');
    mkdirSync(predictionsDir, { recursive: true });
    for (const [run, which] of [
      [other, 'pruned'],
      [unpruned, 'unpruned'],
      [pruned, 'pruned'],
    ] as const) {
      const perSample = cases.map((c) => ({
        id: c.id,
        metrics: { 'dice whole tumour': wholeTumourDice(c[which], c.truth) },
      }));
      for (const c of cases) {
        const file = path.join(predictionsDir, `${run.id}-${c.id}.nii.gz`);
        writeNii(file, c[which], true);
        store.addArtifact(run.id, { kind: 'prediction', name: `${c.id}.nii.gz`, source: { file } });
      }
      store.addArtifact(run.id, {
        kind: 'report',
        name: 'evaluation.json',
        source: { bytes: Buffer.from(JSON.stringify({ metrics: {}, perSample })) },
      });
      store.updateRunStatus(run.id, 'completed');
    }
    return { folder, cases, unprunedRunId: unpruned.id, prunedRunId: pruned.id, otherRunId: other.id };
  } finally {
    store.dispose();
  }
}
