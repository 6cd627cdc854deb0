import { describe, expect, it } from 'vitest';
import { buildNet } from '../../../engine/nn/zoo/registry.js';
import {
  assertTrainingFits,
  availableHostMemory,
  InsufficientMemoryError,
  trainingMemoryVerdict,
} from '../../../engine/train/memory-check.js';
import { countResources } from '../../../engine/resources/count.js';
import { SAFETY_MARGIN } from '../../../engine/train/step-memory.js';

const net = buildNet('unet3d-shapenet', { inputSize: [64, 64, 64] });
const sgd = { kind: 'sgd' as const, momentum: 0.9, nesterov: true };
const request = { net, inputSize: net.inputSize, batch: 4, optimizer: sgd };

describe('training memory check', () => {
  it('counts one momentum buffer for SGD with momentum, none without, two for Adam', () => {
    const peak = (optimizer: typeof sgd | { kind: 'adam' } | { kind: 'sgd' }) =>
      trainingMemoryVerdict({ ...request, optimizer }, Infinity).neededBytes;
    const params = countResources(net, net.inputSize).totals.params * 4; // trained float32 values
    expect(peak(sgd) - peak({ kind: 'sgd' })).toBeCloseTo(params * SAFETY_MARGIN, -4);
    expect(peak({ kind: 'adam' }) - peak({ kind: 'sgd' })).toBeCloseTo(2 * params * SAFETY_MARGIN, -4);
  });

  it('peak grows with the batch: activations scale, weights do not', () => {
    const b1 = trainingMemoryVerdict({ ...request, batch: 1 }, Infinity).neededBytes;
    const b2 = trainingMemoryVerdict({ ...request, batch: 2 }, Infinity).neededBytes;
    const b4 = trainingMemoryVerdict(request, Infinity).neededBytes;
    expect(b4 - b2).toBeCloseTo(2 * (b2 - b1), -6);
  });

  /** assertTrainingFits's message for `request` with `available` bytes. */
  const refusal = (r: typeof request & { recomputeActivations?: boolean }, available: number) => {
    try {
      assertTrainingFits(r, {
        what: 'unpruned net',
        tensorMemory: 'host',
        env: {},
        availableBytes: available,
      });
    } catch (e) {
      expect(e).toBeInstanceOf(InsufficientMemoryError);
      return (e as Error).message;
    }
    throw new Error('not refused');
  };

  it('refuses with the need, what is available and the largest batch that fits', () => {
    // Already recomputing activations: what is left to suggest is a smaller batch.
    const recomputing = { ...request, recomputeActivations: true };
    const b4 = trainingMemoryVerdict(recomputing, Infinity).neededBytes;
    const b3 = trainingMemoryVerdict({ ...recomputing, batch: 3 }, Infinity).neededBytes;
    expect(b3).toBeLessThan(b4);
    const message = refusal(recomputing, b3);
    expect(message).toMatch(
      /^unpruned net: training unet3d-shapenet at input 64×64×64, batch 4 needs ~\d+(\.\d)? GiB/,
    );
    expect(message).toMatch(/this machine has \d+(\.\d)? GiB available; try batch 3 \(~/);
    expect(message).toContain('RANP_SKIP_MEMORY_CHECK=1');
  });

  it('suggests recomputing activations first where that makes the same batch fit', () => {
    const plain = trainingMemoryVerdict(request, Infinity).neededBytes;
    const recomputed = trainingMemoryVerdict(
      { ...request, recomputeActivations: true },
      Infinity,
    ).neededBytes;
    expect(recomputed).toBeLessThan(plain);
    const verdict = trainingMemoryVerdict(request, recomputed);
    expect(verdict.suggestion).toEqual({
      batch: 4,
      inputSize: request.inputSize,
      neededBytes: recomputed,
      recomputeActivations: true,
    });
    expect(refusal(request, recomputed)).toMatch(
      /try recomputing activations \(.*--recompute-activations; ~/,
    );
    // Below what recomputation needs, a smaller batch without it.
    expect(trainingMemoryVerdict(request, recomputed - 1).suggestion?.recomputeActivations).toBeUndefined();
  });

  it('suggests a smaller input the net accepts when even batch 1 does not fit', () => {
    const b1 = trainingMemoryVerdict({ ...request, batch: 1 }, Infinity).neededBytes;
    const verdict = trainingMemoryVerdict(request, b1 * 0.6);
    expect(verdict.fits).toBe(false);
    const s = verdict.suggestion!;
    expect(s.batch).toBe(1);
    // The 3D-UNet pools four times: only multiples of 16 are valid inputs.
    expect(s.inputSize.every((n) => n < 64 && n % 16 === 0)).toBe(true);
    expect(s.neededBytes).toBeLessThanOrEqual(b1 * 0.6);
  });

  it('says nothing fits rather than suggesting a size the net does not take', () => {
    expect(() =>
      assertTrainingFits(request, {
        what: 'pruned net',
        tensorMemory: 'host',
        env: {},
        availableBytes: 1024,
      }),
    ).toThrow(/no smaller batch or input fits either; try a smaller width/);
  });

  it('is skipped for GPU memory and when the user asks', () => {
    const tiny = { what: 'x', env: {}, availableBytes: 1024 };
    expect(assertTrainingFits(request, { ...tiny, tensorMemory: 'device' })).toBeUndefined();
    expect(
      assertTrainingFits(request, { ...tiny, tensorMemory: 'host', env: { RANP_SKIP_MEMORY_CHECK: '1' } }),
    ).toBeUndefined();
  });

  it('reads the memory available on this machine (below its total, above zero)', async () => {
    const { totalmem } = await import('node:os');
    const available = availableHostMemory();
    expect(available).toBeGreaterThan(0);
    expect(available).toBeLessThanOrEqual(totalmem());
  });
});
