import { seededRandom } from '../engine/data/random.js';

/** Seeded randomness for mutations (the engine's generator): a fuzz run is repeatable from its seed. */
export function createRandom(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (maxExclusive: number) => Math.floor(next() * maxExclusive),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

export type Random = ReturnType<typeof createRandom>;
