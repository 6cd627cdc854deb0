import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { concat } from '../../../engine/backend/kernels/concat.js';
import { gatherV2 } from '../../../engine/backend/kernels/gather-v2.js';
import { padV2 } from '../../../engine/backend/kernels/pad-v2.js';
import { slice } from '../../../engine/backend/kernels/slice.js';
import { splitV } from '../../../engine/backend/kernels/split-v.js';
import { transpose } from '../../../engine/backend/kernels/transpose.js';
import { expectSameAsJs, pattern, withKernels } from './js-kernel-harness.js';

const dataMovement = [slice, splitV, concat, padV2, transpose, gatherV2];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('data-movement kernels: hand-computed results', () => {
  it('slice, split, concat, pad, transpose and gather of a 2×3 matrix', () => {
    const { values } = withKernels(dataMovement, () => {
      const m = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      return [
        m.slice([0, 1], [2, 2]),
        ...tf.split(m, [1, 2], 1),
        tf.concat([m, tf.tensor2d([7, 8], [2, 1])], 1),
        tf.pad(
          m,
          [
            [1, 0],
            [0, 1],
          ],
          9,
        ),
        m.transpose(),
        tf.gather(m, tf.tensor1d([2, 2, 0], 'int32'), 1),
      ];
    });
    expect(values).toEqual([
      [2, 3, 5, 6],
      [1, 4],
      [2, 3, 5, 6],
      [1, 2, 3, 7, 4, 5, 6, 8],
      [9, 9, 9, 9, 1, 2, 3, 9, 4, 5, 6, 9],
      [1, 4, 2, 5, 3, 6],
      [3, 3, 1, 6, 6, 4],
    ]);
  });
});

describe('data-movement kernels equal tfjs JS kernels bit for bit', () => {
  it('Slice: ranks 2–5, odd sizes, size -1, float32/int32/bool', () => {
    const cases: [number[], number[], number[]][] = [
      [
        [5, 7],
        [1, 2],
        [3, -1],
      ],
      [
        [4, 5, 6],
        [1, 0, 2],
        [2, 5, 3],
      ],
      [
        [3, 5, 4, 7],
        [0, 1, 1, 0],
        [3, 3, 2, 7],
      ],
      [
        [2, 5, 4, 3, 7],
        [1, 1, 0, 1, 2],
        [1, 3, 4, 2, 4],
      ],
      [
        [1, 6, 6, 6, 5],
        [0, 1, 1, 1, 0],
        [1, 4, 4, 4, 5],
      ],
    ];
    for (const [shape, begin, size] of cases)
      for (const dtype of ['float32', 'int32'] as const)
        expect(expectSameAsJs([slice], () => pattern(shape, { dtype }).slice(begin, size))).toBe(0);
    expect(
      expectSameAsJs([slice], () => pattern([4, 6], { distinct: 2 }).cast('bool').slice([1, 1], [2, 3])),
    ).toBe(0);
  });

  it('Slice: a contiguous slice goes to the JS kernel (a view, no copy)', () => {
    expect(expectSameAsJs([slice], () => pattern([4, 3, 2]).slice([1, 0, 0], [2, 3, 2]))).toBe(1);
    expect(expectSameAsJs([slice], () => pattern([11]).slice([3], [5]))).toBe(1);
  });

  it('SplitV: every axis of a rank-5 tensor, sizes with -1, equal parts, int32', () => {
    const x = [2, 3, 4, 5, 6];
    for (let axis = 0; axis < 5; axis++) {
      const n = x[axis];
      expect(expectSameAsJs([splitV], () => tf.split(pattern(x), [1, -1], axis))).toBe(0);
      expect(
        expectSameAsJs([splitV], () => tf.split(pattern(x, { dtype: 'int32' }), [n - 1, 1], axis - 5)),
      ).toBe(0);
    }
    expect(expectSameAsJs([splitV], () => tf.split(pattern([1, 4, 4, 4, 12]), 3, 4))).toBe(0);
    expect(expectSameAsJs([splitV], () => tf.split(pattern([1, 3, 3, 3, 11]), [4, 0, 7], 4))).toBe(0);
  });

  it('Concat: every axis of rank 5, three inputs of different extents, an empty input, int32', () => {
    for (let axis = 0; axis < 5; axis++) {
      const shape = (extent: number) => [2, 3, 2, 3, 4].map((n, i) => (i === axis ? extent : n));
      expect(
        expectSameAsJs([concat], () =>
          tf.concat([pattern(shape(1)), pattern(shape(3)).neg(), pattern(shape(2))], axis),
        ),
      ).toBe(0);
      expect(
        expectSameAsJs([concat], () =>
          tf.concat(
            [
              pattern(shape(2), { dtype: 'int32' }),
              tf.zeros(shape(0), 'int32'),
              pattern(shape(1), { dtype: 'int32' }),
            ],
            axis,
          ),
        ),
      ).toBe(0);
    }
  });

  it('PadV2: as padSpatial pads (rank 4 and 3), asymmetric, constant 0 and 1.5, int32', () => {
    const padded = (x: tf.Tensor, paddings: [number, number][], value: number) => tf.pad(x, paddings, value);
    const cases: { shape: number[]; paddings: [number, number][] }[] = [
      {
        shape: [3, 4, 5, 2],
        paddings: [
          [0, 0],
          [1, 2],
          [2, 0],
          [0, 0],
        ],
      },
      {
        shape: [2, 5, 6],
        paddings: [
          [0, 0],
          [1, 1],
          [0, 0],
        ],
      },
      {
        shape: [3, 4, 5],
        paddings: [
          [1, 0],
          [0, 3],
          [2, 1],
        ],
      },
    ];
    for (const value of [0, 1.5])
      for (const { shape, paddings } of cases)
        expect(expectSameAsJs([padV2], () => padded(pattern(shape), paddings, value))).toBe(0);
    expect(
      expectSameAsJs([padV2], () =>
        padded(
          pattern([3, 4], { dtype: 'int32' }),
          [
            [2, 1],
            [0, 2],
          ],
          7,
        ),
      ),
    ).toBe(0);
  });

  it('Transpose: rank 2–5 permutations incl. merged axes, int32 and bool', () => {
    const cases: [number[], number[]][] = [
      [
        [5, 7],
        [1, 0],
      ],
      [
        [6, 4, 5],
        [1, 0, 2],
      ],
      [
        [6, 4, 5],
        [2, 0, 1],
      ],
      [
        [3, 4, 5, 2],
        [2, 3, 0, 1],
      ],
      [
        [2, 3, 4, 5, 3],
        [0, 4, 1, 2, 3],
      ],
      [
        [2, 3, 4, 5, 3],
        [4, 3, 2, 1, 0],
      ],
      [
        [2, 3, 4, 5, 3],
        [0, 1, 2, 3, 4],
      ],
    ];
    for (const [shape, perm] of cases) {
      expect(expectSameAsJs([transpose], () => pattern(shape).transpose(perm))).toBe(0);
      expect(expectSameAsJs([transpose], () => pattern(shape, { dtype: 'int32' }).transpose(perm))).toBe(0);
    }
    expect(
      expectSameAsJs([transpose], () =>
        pattern([3, 4, 5], { distinct: 2 }).cast('bool').transpose([2, 0, 1]),
      ),
    ).toBe(0);
  });

  it('GatherV2: the nearest-upsampling gather on every axis, 2D indices, int32 values', () => {
    const upsample = tf.tensor1d([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], 'int32');
    expect(expectSameAsJs([gatherV2], () => tf.gather(pattern([3, 5, 4]), upsample, 1))).toBe(0);
    expect(expectSameAsJs([gatherV2], () => tf.gather(pattern([5, 3]), upsample, 0))).toBe(0);
    expect(expectSameAsJs([gatherV2], () => tf.gather(pattern([2, 3, 5]), upsample, 2))).toBe(0);
    expect(
      expectSameAsJs([gatherV2], () =>
        tf.gather(pattern([4, 5, 3], { dtype: 'int32' }), tf.tensor2d([4, 0, 2, 2], [2, 2], 'int32'), 1),
      ),
    ).toBe(0);
  });

  it('GatherV2: batchDims 1 goes to the JS kernel; an out-of-range index throws as in tfjs', () => {
    expect(
      expectSameAsJs([gatherV2], () =>
        tf.gather(pattern([2, 4, 3]), tf.tensor2d([0, 3, 1, 1], [2, 2], 'int32'), 1, 1),
      ),
    ).toBe(1);
    expect(() =>
      withKernels([gatherV2], () => tf.gather(pattern([2, 4]), tf.tensor1d([4], 'int32'), 1)),
    ).toThrow(/not in \[0, 3\]/);
  });

  it('NaN, ±Infinity and -0 are copied as they are', () => {
    const special = () => tf.tensor([NaN, -0, Infinity, -Infinity, 1, -1, 0, 2], [2, 2, 2]);
    expect(
      expectSameAsJs(dataMovement, () => [
        special().slice([0, 1, 0], [2, 1, 2]),
        ...tf.split(special(), [1, 1], 2),
        tf.concat([special(), special()], 2),
        tf.pad(
          special(),
          [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
          -0,
        ),
        special().transpose([2, 1, 0]),
        tf.gather(special(), tf.tensor1d([1, 0, 1], 'int32'), 1),
      ]),
    ).toBe(0);
  });
});
