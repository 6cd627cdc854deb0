import { describe, expect, it } from 'vitest';
import { PRUNE_METHOD_NAMES, PRUNE_METHODS } from '../../../engine/domain/methods.js';
import { CRITERIA, criterionFor } from '../../../engine/prune/criteria/registry.js';

describe('pruning criteria registry', () => {
  it('implements exactly the methods the domain table offers, each under its own name', () => {
    expect(Object.keys(CRITERIA).sort()).toEqual([...PRUNE_METHOD_NAMES].sort());
    for (const name of PRUNE_METHOD_NAMES) expect(CRITERIA[name].name).toBe(name);
  });

  it('takes the paper name snip-neuron for vanilla SNIP neurons', () => {
    expect(criterionFor('snip-neuron').name).toBe('vanilla');
  });

  it('names the known methods when a name is unknown', () => {
    expect(() => criterionFor('ranp-x')).toThrow(
      /unknown pruning method 'ranp-x'; choose one of ranp-f, ranp-m/,
    );
  });

  it('random is the only method that reads no scores', () => {
    expect(PRUNE_METHOD_NAMES.filter((n) => !PRUNE_METHODS[n].needsScores)).toEqual(['random']);
  });
});
