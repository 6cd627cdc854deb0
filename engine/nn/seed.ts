/**
 * A 32-bit seed derived from a base seed and a label (FNV-1a of "seed:label"), so each
 * parameter/layer draws independently of node order. Never 0: tfjs treats seed 0 as "unseeded".
 */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${label}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}
