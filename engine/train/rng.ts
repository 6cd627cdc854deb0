import { seededRandom } from '../data/random.js';

/**
 * Seeded randomness that a resumed run can reproduce without saving generator state: every random
 * choice draws from a seed derived from (run seed, purpose, epoch, index…), never from a stream
 * that advanced through earlier steps.
 */

/** Mixes integers into one 32-bit seed (splitmix32-style finalizer over each part). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = seed >>> 0;
  for (const part of [parts.length, ...parts]) {
    h = Math.imul(h ^ (part >>> 0), 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Purposes, so that e.g. data order and dropout of the same epoch never share a seed. */
export const SeedPurpose = {
  dataOrder: 1,
  sample: 2,
  dropout: 3,
  init: 4,
} as const;

/** The readers' seeded generator (mulberry32), shared so there is one implementation. */
export const createRandom = seededRandom;

/** Fisher–Yates permutation of 0..n-1 from a seed. */
export function seededPermutation(n: number, seed: number): number[] {
  const random = createRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The sample order of one epoch. */
export function epochOrder(length: number, seed: number, epoch: number, shuffle: boolean): number[] {
  if (!shuffle) return Array.from({ length }, (_, i) => i);
  return seededPermutation(length, deriveSeed(seed, SeedPurpose.dataOrder, epoch));
}
