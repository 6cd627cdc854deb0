import { describe, expect, it } from 'vitest';
import {
  balanceLayers,
  layerNeuronImportance,
  resourceWeights,
  reweightByResource,
} from '../../../engine/prune/importance.js';
import { keepCount, selectGlobal } from '../../../engine/prune/selection.js';
import { countNetResources } from '../../../engine/prune/resources.js';
import { createPruner, prune, EmptiedLayersError } from '../../../engine/prune/prune.js';
import { searchMaxSparsity, sparsityForBudget } from '../../../engine/prune/search.js';
import { arrays, concatNet } from './nets.js';
import { concatScores } from './scores.js';

const values = Float32Array.from([1, 2, 3, 4, 5, 6]);

describe('neuron importance (step 4)', () => {
  it('sums, averages or takes the max over every weight of an output channel (conv layout, outAxis last)', () => {
    const scores = { shape: [1, 1, 1, 2, 3], outAxis: 4, values };
    expect([...layerNeuronImportance('c', scores, 'sum')]).toEqual([5, 7, 9]);
    expect([...layerNeuronImportance('c', scores, 'mean')]).toEqual([2.5, 3.5, 4.5]);
    expect([...layerNeuronImportance('c', scores, 'max')]).toEqual([4, 5, 6]);
  });

  it('handles the output axis first ([out, in])', () => {
    expect([...layerNeuronImportance('l', { shape: [3, 2], outAxis: 0, values }, 'sum')]).toEqual([3, 7, 11]);
  });

  it('rejects a value count that does not match the shape, naming the layer', () => {
    expect(() => layerNeuronImportance('enc0', { shape: [2, 2], outAxis: 1, values }, 'sum')).toThrow(
      /enc0.*6 values/,
    );
  });
});

describe('layer balancing (step 5) and resource reweighting (step 6)', () => {
  it('scales each layer by max mean / its mean', () => {
    const balanced = balanceLayers(
      new Map([
        ['l1', Float64Array.from([1, 3])],
        ['l2', Float64Array.from([4, 8])],
      ]),
    );
    expect([...balanced.get('l1')!]).toEqual([3, 9]);
    expect([...balanced.get('l2')!]).toEqual([4, 8]);
  });

  it('softmax of −r/max r: r = (10, 30) gives (0.660759, 0.339241)', () => {
    const w = resourceWeights(
      new Map([
        ['l1', 10],
        ['l2', 30],
      ]),
    );
    expect(w.get('l1')).toBeCloseTo(0.660759, 5);
    expect(w.get('l2')).toBeCloseTo(0.339241, 5);
  });

  it('ñ = n · (1 + λ w)', () => {
    const result = reweightByResource(
      new Map([
        ['l1', Float64Array.from([2])],
        ['l2', Float64Array.from([1])],
      ]),
      new Map([
        ['l1', 10],
        ['l2', 30],
      ]),
      11,
    );
    expect(result.get('l1')![0]).toBeCloseTo(2 * (1 + 11 * 0.660759), 3);
    expect(result.get('l2')![0]).toBeCloseTo(1 + 11 * 0.339241, 3);
  });
});

describe('global selection (step 7)', () => {
  it('K = floor(N(1−s)) by hand, robust to binary rounding', () => {
    expect(keepCount(100, 0.3)).toBe(70);
    expect(keepCount(100, 0.29)).toBe(71);
    expect(keepCount(7, 0.5)).toBe(3);
    expect(keepCount(2386, 0.7824)).toBe(519); // 2386 · 0.2176 = 519.19
  });

  it('keeps every neuron tied with the threshold, and the classifier whole (it counts in N)', () => {
    const scores = new Map([
      ['l1', Float64Array.from([2, 2, 1])],
      ['l2', Float64Array.from([2, 0])],
      ['cls', Float64Array.from([0, 0])],
    ]);
    // N = 7, K = floor(7 · 0.2) = 1, τ = 2: three neurons tie at 2.
    const { mask, threshold } = selectGlobal(scores, 0.8, 'cls');
    expect(threshold).toBe(2);
    expect(arrays(mask)).toEqual({ l1: [1, 1, 0], l2: [1, 0], cls: [1, 1] });
  });
});

describe('prune() on a hand-scored net, every method', () => {
  const net = concatNet();
  const scores = concatScores(net);

  it('counts per-layer FLOPs as computed by hand at 2³ (numel(out) · (Cin·k³ + bias))', () => {
    const { perLayer } = countNetResources(net, [2, 2, 2]);
    expect(perLayer.get('a')!.flops).toBe(8 * 2 * 1);
    expect(perLayer.get('b')!.flops).toBe(8 * 3 * 2);
    expect(perLayer.get('head')!.flops).toBe(8 * 2 * (5 + 1));
  });

  it('RANP-f: balanced and FLOP-reweighted scores equal the hand values and select the top K', () => {
    // Balanced: means a 1.5, b 4, head 2.5 → a ×8/3, head ×1.6. w = softmax(−16/96, −48/96, −96/96).
    const e = [Math.exp(-1 / 6), Math.exp(-1 / 2), Math.exp(-1)];
    const w = e.map((v) => v / (e[0] + e[1] + e[2]));
    const expected = {
      a: [1, 2].map((v) => ((v * 8) / 3) * (1 + 11 * w[0])),
      b: [2, 4, 6].map((v) => v * (1 + 11 * w[1])),
      head: [4, 4].map((v) => v * (1 + 11 * w[2])),
    };
    // ≈ a [16.30, 32.61], b [9.33, 18.66, 27.98], head [12.89, 12.89]; K = floor(7 · 0.5) = 3 → τ = 18.66.
    const result = prune(net, scores, { method: 'ranp-f', sparsity: 0.5, lambda: 11 });
    const layers = Object.fromEntries(result.report.layers.map((l) => [l.name, l]));
    expect(layers.a.scores!.max).toBeCloseTo(expected.a[1], 3);
    expect(layers.b.scores!.median).toBeCloseTo(expected.b[1], 3);
    expect(layers.head.scores!.min).toBeCloseTo(expected.head[0], 3);
    expect(result.report.threshold).toBeCloseTo(expected.b[1], 3);
    expect(arrays(result.keptNeurons)).toEqual({ a: [0, 1], b: [0, 1, 1], head: [1, 1] });
    expect(result.report.realizedSparsity).toBeCloseTo(2 / 7, 10);
    expect(result.report.layers.find((l) => l.name === 'head')!.inChannels).toEqual({ before: 5, after: 3 });
    expect(result.prunedNet.meta).toMatchObject({ prunedFrom: 'test-concat', pruneMethod: 'ranp-f' });
  });

  it('RANP-m and RANP-p reweight by output elements (a 16, b 24, head 16) and params (a 2, b 6, head 12)', () => {
    const softmax = (r: number[]) => {
      const e = r.map((v) => Math.exp(-v / Math.max(...r)));
      return e.map((v) => v / e.reduce((x, y) => x + y, 0));
    };
    for (const [method, r] of [
      ['ranp-m', [16, 24, 16]],
      ['ranp-p', [2, 6, 12]],
    ] as const) {
      const w = softmax([...r]);
      const evaluation = createPruner(net, scores, { method, lambda: 11 }).evaluate(0.5);
      if (evaluation.selection.level !== 'neuron') throw new Error('neuron-level');
      const final = evaluation.selection.finalScores!;
      expect(final.get('a')![1], method).toBeCloseTo(((2 * 8) / 3) * (1 + 11 * w[0]), 4);
      expect(final.get('b')![2], method).toBeCloseTo(6 * (1 + 11 * w[1]), 4);
      expect(final.get('head')![0], method).toBeCloseTo(4 * (1 + 11 * w[2]), 4);
    }
  });

  it('vanilla at the same sparsity empties layer a and says so', () => {
    // Sorted 6, 4, 2.5, 2.5, 2, 2, 1; K = 3 → τ = 2.5: a's best neuron (2) falls below.
    expect(() => prune(net, scores, { method: 'vanilla', sparsity: 0.5 })).toThrow(EmptiedLayersError);
    expect(() => prune(net, scores, { method: 'vanilla', sparsity: 0.5 })).toThrow(/layer\(s\) 'a'/);
  });

  it('max-sparsity search finds 2/7 for vanilla (a survives iff K ≥ 5) within 1e-4', () => {
    const s = searchMaxSparsity(createPruner(net, scores, { method: 'vanilla' }));
    expect(s).toBeLessThanOrEqual(2 / 7);
    expect(s).toBeGreaterThan(2 / 7 - 1e-4);
  });

  it('balanced only: a ×8/3, head ×1.6, no reweighting', () => {
    // a [2.67, 5.33], b [2, 4, 6], head [4, 4]; K = 3 → τ = 4 (ties: b1 and both head neurons).
    const result = prune(net, scores, { method: 'balanced', sparsity: 0.5 });
    expect(result.report.threshold).toBeCloseTo(4, 6);
    expect(arrays(result.keptNeurons)).toEqual({ a: [0, 1], b: [0, 1, 1], head: [1, 1] });
  });

  it('layer-wise keeps ceil(n(1−s)) per layer', () => {
    const result = prune(net, scores, { method: 'layerwise', sparsity: 0.5 });
    expect(arrays(result.keptNeurons)).toEqual({ a: [0, 1], b: [0, 1, 1], head: [1, 1] });
    const more = prune(net, scores, { method: 'layerwise', sparsity: 0.7 });
    expect(arrays(more.keptNeurons)).toEqual({ a: [0, 1], b: [0, 0, 1], head: [1, 1] });
  });

  it('random: seeded, K drawn from all N, classifier kept; a different seed draws differently', () => {
    const draws = [1, 2, 3, 4, 5, 6].map((seed) =>
      createPruner(net, undefined, { method: 'random', seed }).evaluate(3 / 7),
    );
    for (const d of draws) {
      if (d.selection.level !== 'neuron') throw new Error('random is neuron-level');
      const flat = [...d.selection.mask.get('a')!, ...d.selection.mask.get('b')!];
      // K = 4 of 7; whatever the draw put on the classifier, it is kept whole.
      expect(flat.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(4);
      expect([...d.selection.mask.get('head')!]).toEqual([1, 1]);
    }
    const again = createPruner(net, undefined, { method: 'random', seed: 1 }).evaluate(3 / 7);
    expect(again.selection).toEqual(draws[0].selection);
    expect(new Set(draws.map((d) => JSON.stringify(d.selection))).size).toBeGreaterThan(1);
  });

  it('weight-level SNIP: global top-k over weights, dense resources unchanged, collapse reported', () => {
    // 2 + 6 + 10 = 18 weights. Sparsity 0.5 keeps floor(9): sorted 5, 3, 2, 1, 1, 1, 1, 1, 0.5 … → τ = 0.5, all kept (ties).
    const result = prune(net, scores, { method: 'weight-snip', sparsity: 0.5 });
    expect(result.report.threshold).toBe(0.5);
    expect(result.report.weightLevel).toMatchObject({
      keptWeights: 18,
      totalWeights: 18,
      nonzeroFraction: 1,
    });
    expect(result.report.resources.ratio.flops).toBe(1);
    // Sparsity 0.7 keeps floor(5.4) = 5 → τ = 1: 8 weights kept (ties), none of the head's 0.5s.
    const evaluation = createPruner(net, scores, { method: 'weight-snip' }).evaluate(0.7);
    if (evaluation.selection.level !== 'weight') throw new Error('weight-snip is weight-level');
    expect(evaluation.selection.threshold).toBe(1);
    expect(evaluation.selection.keptWeights).toBe(8);
    expect([...evaluation.selection.weightMasks.get('b')!]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(() => prune(net, scores, { method: 'weight-snip', sparsity: 0.7 })).toThrow(/layer\(s\) 'head'/);
  });

  it('budget: the smallest sparsity whose cleaned net meets a FLOP fraction', () => {
    const pruner = createPruner(net, scores, { method: 'ranp-f', lambda: 11 });
    const full = pruner.fullResources().total.flops;
    const search = sparsityForBudget(pruner, { resource: 'flops', value: 0.6, relative: true });
    expect(search.achieved).toBeLessThanOrEqual(0.6 * full);
    const flopsAt = (s: number) => pruner.resourcesOf(pruner.describe(pruner.evaluate(s))).total.flops;
    expect(flopsAt(search.sparsity)).toBe(search.achieved);
    expect(flopsAt(Math.max(0, search.sparsity - 2e-4))).toBeGreaterThan(0.6 * full);
    const result = prune(net, scores, {
      method: 'ranp-f',
      lambda: 11,
      budget: { resource: 'flops', value: 0.6, relative: true },
    });
    expect(result.report.resources.ratio.flops).toBeLessThanOrEqual(0.6);
    expect(result.report.budget?.sparsity).toBe(search.sparsity);
    // A caller's cached largest sparsity (the host's ScoreCache) is asked once and gives the same search.
    let asked = 0;
    const cached = searchMaxSparsity(pruner);
    const given = sparsityForBudget(pruner, { resource: 'flops', value: 0.6, relative: true }, () => {
      asked++;
      return cached;
    });
    expect(given).toEqual(search);
    expect(asked).toBe(1);
  });

  it('an unmeetable budget says what the largest sparsity achieves', () => {
    expect(() =>
      prune(net, scores, { method: 'ranp-f', budget: { resource: 'flops', value: 0.01, relative: true } }),
    ).toThrow(/cannot be met.*largest sparsity/);
  });
});
