import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataCommand } from '../../../engine/cli/commands/data.js';
import { DataError } from '../../../engine/data/dataset.js';
import { checkDataset, openDataset } from '../../../engine/tasks/datasets.js';
import { describeNonFinite } from '../../../engine/data/nifti/finite.js';
import { readNifti } from '../../../engine/data/nifti/read.js';
import { writeTinyBrats } from '../../integration/train-fixtures.js';
import { buildNifti, encodeValues, type HandHeader } from './nifti-bytes.js';

// Non-finite voxels and header fields, and bounded decompression: real .nii/.nii.gz files built
// byte by byte from the standard's offsets (nifti-bytes.ts), written to disk and read back.

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ranp-nifti-guards-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function writeFloat32(name: string, values: number[], header: Partial<HandHeader> = {}) {
  const file = join(tmp, name);
  const bytes = buildNifti(
    { dims: [values.length], datatype: 16, bitpix: 32, ...header },
    encodeValues(values, 'setFloat32', 4),
  );
  await writeFile(file, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return file;
}

async function problemOf(file: string): Promise<string> {
  const error = await readNifti(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).file).toBe(file);
  return (error as DataError).problem;
}

describe('non-finite voxels', () => {
  it('are counted by kind with the first position (3 of 9 here, by hand)', async () => {
    const values = [1, 2, 3, 4, 5, NaN, 7, Infinity, -Infinity];
    const file = await writeFloat32('nan.nii.gz', values, { dims: [3, 3] });
    const image = await readNifti(file);
    expect(image.nonFinite).toEqual({ count: 3, nan: 1, infinite: 2, first: 5 });
    // Voxel 5 of a 3×3 grid, i fastest: (5 mod 3, floor(5 / 3)) = (2, 1).
    expect(describeNonFinite(image.nonFinite, image.dims)).toMatch(
      /^3 of 9 voxels are not finite \(1 NaN, 2 ±Inf\), the first at voxel \(2, 1\)/,
    );
  });

  it('made by scaling are counted too (int16 32767 × scl_slope 1e38 overflows float32)', async () => {
    const file = join(tmp, 'overflow.nii');
    const bytes = buildNifti(
      { dims: [3], datatype: 4, bitpix: 16, slope: 1e38, inter: 0 },
      encodeValues([0, 1, 32767], 'setInt16', 2),
    );
    await writeFile(file, bytes);
    const image = await readNifti(file);
    expect(image.scaled).toBe(true);
    expect(Array.from(image.data)).toEqual([0, Math.fround(1e38), Infinity]);
    expect(image.nonFinite).toEqual({ count: 1, nan: 0, infinite: 1, first: 2 });
  });

  it('an integer file has none to count', async () => {
    const file = join(tmp, 'int.nii');
    await writeFile(
      file,
      buildNifti({ dims: [2], datatype: 4, bitpix: 16 }, encodeValues([1, 2], 'setInt16', 2)),
    );
    expect((await readNifti(file)).nonFinite.count).toBe(0);
  });
});

describe('non-finite header fields are DataErrors naming the field', () => {
  it('scl_slope ±Inf; scl_inter NaN under a slope that applies', async () => {
    expect(await problemOf(await writeFloat32('slope-inf.nii', [1, 2], { slope: Infinity }))).toMatch(
      /scl_slope is Infinity/,
    );
    expect(await problemOf(await writeFloat32('slope-ninf.nii', [1, 2], { slope: -Infinity }))).toMatch(
      /scl_slope is -Infinity/,
    );
    expect(await problemOf(await writeFloat32('inter-nan.nii', [1, 2], { slope: 2, inter: NaN }))).toMatch(
      /scl_inter is NaN while scl_slope is 2/,
    );
  });

  it('scl_slope NaN is "not scaled" (what nibabel writes for unscaled files): values as stored', async () => {
    const image = await readNifti(await writeFloat32('slope-nan.nii', [1.5, -2], { slope: NaN, inter: NaN }));
    expect(image.scaled).toBe(false);
    expect(Array.from(image.data)).toEqual([1.5, -2]);
  });

  it('pixdim NaN/Inf, a NaN sform row, a NaN quaternion, vox_offset NaN', async () => {
    expect(
      await problemOf(await writeFloat32('pixdim.nii', [1, 2, 3], { dims: [1, 1, 3], pixdim: [1, NaN, 1] })),
    ).toMatch(/pixdim\[2\] is NaN/);
    expect(
      await problemOf(
        await writeFloat32('pixdim-inf.nii', [1], { dims: [1, 1, 1], pixdim: [Infinity, 1, 1] }),
      ),
    ).toMatch(/pixdim\[1\] is Infinity/);
    const srow = [1, 0, 0, 0, 0, NaN, 0, 0, 0, 0, 1, 0];
    expect(
      await problemOf(await writeFloat32('sform.nii', [1], { dims: [1, 1, 1], sformCode: 1, srow })),
    ).toMatch(/the sform .*NaN.* not finite/);
    expect(
      await problemOf(
        await writeFloat32('qform.nii', [1], { dims: [1, 1, 1], qformCode: 1, quatern: [NaN, 0, 0] }),
      ),
    ).toMatch(/the qform .*not finite/);
    const file = join(tmp, 'voxoffset.nii');
    const bytes = buildNifti({ dims: [2], datatype: 16, bitpix: 32 }, encodeValues([1, 2], 'setFloat32', 4));
    new DataView(bytes.buffer).setFloat32(108, NaN, true);
    await writeFile(file, bytes);
    expect(await problemOf(file)).toMatch(/vox_offset is NaN/);
  });
});

describe('BraTS: data check and the reader report non-finite voxels (count, file, modality)', () => {
  const root = () => join(tmp, 'brats');
  const subjectFile = (s: number, m: string) =>
    join(root(), 'HGG', `Brats18_TINY_${s}_1`, `Brats18_TINY_${s}_1_${m}.nii.gz`);

  beforeAll(async () => {
    await writeTinyBrats(root(), 3, 8);
    // Subject 0: 1% of flair NaN (5 voxels of 512, the first at index 7); subject 1: t2 entirely NaN.
    const flair = Array.from({ length: 512 }, (_, v) =>
      [7, 100, 200, 300, 400].includes(v) ? NaN : 100 + v,
    );
    await writeFile(
      subjectFile(0, 'flair'),
      gzipSync(
        buildNifti({ dims: [8, 8, 8], datatype: 16, bitpix: 32 }, encodeValues(flair, 'setFloat32', 4)),
      ),
    );
    const t2 = new Array<number>(512).fill(NaN);
    await writeFile(
      subjectFile(1, 't2'),
      gzipSync(buildNifti({ dims: [8, 8, 8], datatype: 16, bitpix: 32 }, encodeValues(t2, 'setFloat32', 4))),
    );
  });

  it('ranp data check lists both files with their counts and modality, exit 1', async () => {
    const report = await checkDataset(root());
    expect(report.items).toBe(1);
    expect(report.problems).toEqual([
      {
        file: subjectFile(0, 'flair'),
        problem: expect.stringMatching(
          /^flair: 5 of 512 voxels are not finite \(5 NaN\), the first at voxel \(7, 0, 0\)/,
        ),
      },
      {
        file: subjectFile(1, 't2'),
        problem: expect.stringMatching(
          /^t2: 512 of 512 voxels are not finite \(512 NaN\), the first at voxel \(0, 0, 0\)/,
        ),
      },
    ]);
    const out: string[] = [];
    const code = await dataCommand.run(['check', root()], {
      out: (t) => out.push(t),
      err: () => {},
      interactive: false,
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(`${subjectFile(0, 'flair')}: flair: 5 of 512 voxels are not finite`);
  });

  it('training refuses those subjects (DataError naming the file), or skips them with skipBad', async () => {
    const options = { trainCrop: [8, 8, 8] as [number, number, number], valFraction: 0 };
    const dataset = await openDataset('brats', root(), 'train', options);
    expect(dataset.length).toBe(3);
    const outcomes: string[] = [];
    for (let i = 0; i < dataset.length; i++) {
      const outcome = await dataset.get(i, 1).then(
        (sample) => `ok ${sample.id}`,
        (error: unknown) => (error instanceof DataError ? `${error.file}: ${error.problem}` : String(error)),
      );
      outcomes.push(outcome);
    }
    expect(outcomes[0]).toMatch(/: 5 of 512 voxels are not finite \(5 NaN\).*\(subject Brats18_TINY_0_1\)$/);
    expect(outcomes[0].startsWith(subjectFile(0, 'flair'))).toBe(true);
    expect(outcomes[1].startsWith(`${subjectFile(1, 't2')}: 512 of 512 voxels are not finite`)).toBe(true);
    expect(outcomes[2]).toMatch(/^ok Brats18_TINY_2_1/);

    const warnings: DataError[] = [];
    const skipping = await openDataset('brats', root(), 'train', {
      ...options,
      skipBad: true,
      onWarning: (w) => warnings.push(w),
    });
    const sample = await skipping.get(0, 1);
    expect(sample.id).toMatch(/^Brats18_TINY_2_1/);
    expect(sample.input.every(Number.isFinite)).toBe(true);
    expect(warnings.map((w) => w.file)).toEqual([subjectFile(0, 'flair'), subjectFile(1, 't2')]);
  });
});

describe('bounded decompression', () => {
  /** Runs the reader in its own process; its RSS is then the reader's, not the test runner's. */
  function readInChild(file: string) {
    const child = join(import.meta.dirname, 'gzip-bomb-child.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', child, file], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as {
      problem?: string;
      voxels?: number;
      seconds: number;
      peakRssBytes: number;
    };
  }

  it('refuses a 3 GiB gzip bomb behind a 16³ header early, in bounded memory', async () => {
    // A valid multi-member gzip stream: the header + its 16³ int16 voxels, then 48 members of 64 MiB
    // of zeros each (3 GiB + 8 KiB inflated, ~3 MB on disk).
    const header = buildNifti({ dims: [16, 16, 16], datatype: 4, bitpix: 16 }, new Uint8Array(16 ** 3 * 2));
    const zeros = gzipSync(new Uint8Array(64 * 2 ** 20), { level: 9 });
    const file = join(tmp, 'bomb.nii.gz');
    await writeFile(file, Buffer.concat([gzipSync(header), ...new Array<Buffer>(48).fill(zeros)]));
    const result = readInChild(file);
    expect(result.problem).toMatch(/decompresses to more than the 8544 bytes its NIfTI header promises/);
    expect(result.peakRssBytes).toBeLessThan(500 * 2 ** 20);
    console.log(
      `gzip bomb (3 GiB inflated): refused in ${result.seconds.toFixed(3)} s, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB (child process, tsx included)`,
    );
  });

  it('refuses a header that promises more than 1 GiB before inflating the voxels', async () => {
    const header = buildNifti({ dims: [2048, 2048, 2048], datatype: 2, bitpix: 8 }, new Uint8Array(0));
    const file = join(tmp, 'huge.nii.gz');
    await writeFile(file, gzipSync(header));
    const result = readInChild(file);
    expect(result.problem).toMatch(/its header promises 8589934944 bytes, more than the 1073741824 bytes/);
    expect(result.peakRssBytes).toBeLessThan(500 * 2 ** 20);
  });

  it('still reads a file that holds just what its header says, and one with a little padding', async () => {
    const exact = await writeFloat32('exact.nii.gz', [1, 2, 3]);
    expect(Array.from((await readNifti(exact)).data)).toEqual([1, 2, 3]);
    const padded = join(tmp, 'padded.nii.gz');
    const bytes = buildNifti({ dims: [2], datatype: 16, bitpix: 32 }, encodeValues([4, 5], 'setFloat32', 4));
    await writeFile(padded, gzipSync(Buffer.concat([bytes, new Uint8Array(1000)])));
    expect(Array.from((await readNifti(padded)).data)).toEqual([4, 5]);
  });
});
