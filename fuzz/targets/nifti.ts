import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { DataError } from '../../engine/data/dataset.js';
import { encodeNifti, parseNifti } from '../../engine/data/nifti/index.js';
import { mutateBytes } from '../mutate.js';
import { isErrorOf, type FuzzTarget } from '../target.js';

const ITK = path.resolve('test/fixtures/debian/itk');

/**
 * NIfTI reader: header fields, dims, datatypes, truncated/garbled gzip. The corpus is a crop of the
 * real ITK T1 scan (so inputs stay small and mutations reach the header), as .nii and .nii.gz, in
 * every datatype the writer has, with and without scaling.
 */
export const niftiTarget: FuzzTarget = {
  name: 'nifti',
  async corpus() {
    const real = parseNifti(
      readFileSync(path.join(ITK, 'KmeansTest_T1UCharRaw.nii.gz')),
      'KmeansTest_T1UCharRaw.nii.gz',
    );
    const [ni, nj] = real.dims;
    const crop = new Uint8Array(8 * 8 * 4);
    for (let k = 0; k < 4; k++)
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++)
          crop[i + 8 * (j + 8 * k)] = Number(real.data[i + 60 + ni * (j + 60 + nj * (k + 30))]);
    const grid = { dims: [8, 8, 4], affine: real.affine };
    const variants = [crop, Int16Array.from(crop), Int32Array.from(crop), Float32Array.from(crop)].map((v) =>
      encodeNifti(v, grid),
    );
    return [...variants, ...variants.map((v) => new Uint8Array(gzipSync(v)))];
  },
  mutate(input, random, corpus) {
    // Half the time mutate the decompressed bytes and re-compress, so mutations reach the header.
    if (input[0] === 0x1f && input[1] === 0x8b && random.next() < 0.5) {
      try {
        return new Uint8Array(gzipSync(mutateBytes(new Uint8Array(gunzipSync(input)), random, corpus)));
      } catch {
        // already garbled by an earlier mutation: mutate the raw bytes instead
      }
    }
    return mutateBytes(input, random, corpus);
  },
  async run(input) {
    return parseNifti(input, 'fuzz.nii');
  },
  isSpecificError: isErrorOf(DataError),
};
