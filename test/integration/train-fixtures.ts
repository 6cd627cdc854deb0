// Builds a tiny BraTS-layout folder of real NIfTI files (synthetic anatomy) for the experiment tests.
import { join } from 'node:path';
import { writeNifti } from '../../engine/data/nifti/write.js';
import { createRandom } from '../../engine/train/rng.js';

export const TINY_BRATS_SIZE = 16;
/** 1.5 mm along i (W), 1 mm along j and k, shifted origin: predictions must keep it. */
export const TINY_BRATS_AFFINE = [1.5, 0, 0, -9, 0, 1, 0, -6, 0, 0, 1, -6, 0, 0, 0, 1];

/**
 * `subjects` HGG subjects, n³ voxels each: a spherical "tumour" (enhancing shell label 4 around a
 * core label 1, oedema label 2 around it) at a seeded position; each modality brightens with the
 * labels plus noise, so a small net can learn it.
 */
export async function writeTinyBrats(root: string, subjects: number, n = TINY_BRATS_SIZE): Promise<void> {
  for (let s = 0; s < subjects; s++) {
    const id = `Brats18_TINY_${s}_1`;
    const dir = join(root, 'HGG', id);
    const random = createRandom(100 + s);
    const centre = [4 + random() * (n - 8), 4 + random() * (n - 8), 4 + random() * (n - 8)];
    const seg = new Int16Array(n ** 3);
    for (let k = 0; k < n; k++)
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) {
          const r = Math.hypot(k - centre[0], j - centre[1], i - centre[2]);
          seg[(k * n + j) * n + i] = r < 1.2 ? 1 : r < 2.2 ? 4 : r < 3.5 ? 2 : 0;
        }
    const grid = { dims: [n, n, n], affine: TINY_BRATS_AFFINE };
    const gain: Record<string, number[]> = {
      flair: [1, 2, 4, 0, 3],
      t1ce: [1, 1.5, 1, 0, 4],
      t1: [2, 1, 1.5, 0, 1],
      t2: [1, 3, 3.5, 0, 2],
    };
    for (const [modality, g] of Object.entries(gain)) {
      const voxels = Float32Array.from(seg, (label) => 100 * (g[label] + 0.3 * random()));
      await writeNifti(join(dir, `${id}_${modality}.nii.gz`), voxels, grid);
    }
    await writeNifti(join(dir, `${id}_seg.nii.gz`), seg, grid);
  }
}
