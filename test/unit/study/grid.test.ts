import { describe, expect, it } from 'vitest';
import { gridCells } from '../../../engine/study/grid.js';

describe('study grid order (app sweeps and cluster studies)', () => {
  it('lists seed outermost, then method, then sparsity', () => {
    expect(gridCells({ method: ['ranp-f', 'random'], sparsity: [0.5, 0.8], seed: [0, 1] })).toEqual([
      { method: 'ranp-f', sparsity: 0.5, seed: 0 },
      { method: 'ranp-f', sparsity: 0.8, seed: 0 },
      { method: 'random', sparsity: 0.5, seed: 0 },
      { method: 'random', sparsity: 0.8, seed: 0 },
      { method: 'ranp-f', sparsity: 0.5, seed: 1 },
      { method: 'ranp-f', sparsity: 0.8, seed: 1 },
      { method: 'random', sparsity: 0.5, seed: 1 },
      { method: 'random', sparsity: 0.8, seed: 1 },
    ]);
  });

  it('leaves an axis that is not given out of the cells (the config keeps its value)', () => {
    expect(gridCells({ seed: [3, 4] })).toEqual([{ seed: 3 }, { seed: 4 }]);
    expect(gridCells({})).toEqual([{}]);
  });
});
