/**
 * Rebuilds assets/samples/ (the demo and test datasets) from real files available offline:
 *   npx tsx scripts/make-samples.ts            (needs test/fixtures/debian: bash scripts/setup-system.sh)
 * Deterministic for a given seed; writes assets/samples/{brats,shapenet,ucf101}. Licenses: assets/samples/LICENSES.md.
 */
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBratsSamples } from '../engine/tasks/brats/samples.js';
import { makeShapenetSamples } from '../engine/tasks/shapenet/samples.js';
import { makeUcfSamples } from '../engine/tasks/ucf101/samples.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repo, 'test/fixtures/debian');
const out = join(repo, 'assets/samples');
const seed = 20201006; // RANP's arXiv date

for (const name of ['brats', 'shapenet', 'ucf101'])
  await rm(join(out, name), { recursive: true, force: true });

const brats = await makeBratsSamples({
  t1File: join(fixtures, 'itk/KmeansTest_T1UCharRaw.nii.gz'),
  brainFile: join(fixtures, 'itk/KmeansTest_T1RawSkullStrip.nii.gz'),
  outDir: join(out, 'brats'),
  hgg: 6,
  lgg: 4,
  seed,
  factor: 2,
});
console.log(`brats: ${brats.length} files`);

const bunny = createRequire(import.meta.url)('bunny') as { positions: number[][]; cells: number[][] };
const shapenet = await makeShapenetSamples({
  outDir: join(out, 'shapenet'),
  bunny,
  perCategory: 10,
  points: 1024,
  seed,
});
console.log(`shapenet: ${shapenet}`);

const videos = await makeUcfSamples({
  video: join(fixtures, 'imageio/realshort.mp4'),
  outDir: join(out, 'ucf101'),
  groups: 4,
  clipsPerGroup: 2,
  frames: 20,
  width: 80,
  height: 60,
  seed,
});
console.log(`ucf101: ${videos.length} videos`);
