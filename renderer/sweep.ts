import type { PruneMethod } from '../engine/protocol/index.js';
import { MAX_STUDY_EXPERIMENTS, PRUNE_LIMITS } from '../engine/protocol/index.js';

/** A list field of the sweep: its values, or what is wrong with it (shown at the field). */
export type ListResult = { values: number[]; error?: undefined } | { values?: undefined; error: string };

function parseList(text: string, parse: (item: string) => number | string): ListResult {
  const items = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const values: number[] = [];
  for (const item of items) {
    const value = parse(item);
    if (typeof value === 'string') return { error: value };
    if (!values.includes(value)) values.push(value);
  }
  return { values };
}

/** "30, 50 70" (percent of neurons removed) → [0.3, 0.5, 0.7]; blank: the slider's one value. */
export function parseSparsities(text: string, fallback: number): ListResult {
  if (!text.trim()) return { values: [fallback] };
  const maxPercent = PRUNE_LIMITS.maxSparsityExclusive * 100;
  return parseList(text, (item) => {
    const n = Number(item.replace(/%$/, ''));
    if (!Number.isFinite(n) || n < 0 || n >= maxPercent)
      return `'${item}' is not a percentage from 0 to below ${maxPercent} (e.g. 30, 50, 70)`;
    return Math.round(n * 10) / 1000;
  });
}

/** "0, 1, 2" or a range "0-4" → seeds; blank: the one seed of the form. */
export function parseSeeds(text: string, fallback: number): ListResult {
  if (!text.trim()) return { values: [fallback] };
  const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(text.trim());
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (to < from) return { error: `the range ${text.trim()} runs backwards (write e.g. 0-4)` };
    if (to - from + 1 > MAX_STUDY_EXPERIMENTS)
      return { error: `the range ${text.trim()} is more than ${MAX_STUDY_EXPERIMENTS} seeds` };
    return { values: Array.from({ length: to - from + 1 }, (_, i) => from + i) };
  }
  return parseList(text, (item) =>
    /^\d+$/.test(item) ? Number(item) : `'${item}' is not a seed (a whole number ≥ 0; e.g. 0, 1, 2 or 0-4)`,
  );
}

/** The grid the form queues: its cells' count and whether it is more than one experiment. */
export function sweepSize(
  methods: readonly PruneMethod[],
  sparsities: ListResult,
  seeds: ListResult,
): number {
  return methods.length * (sparsities.values?.length ?? 0) * (seeds.values?.length ?? 0);
}
