import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../engine/experiment/config.js';
import { roleRunInput } from '../../../engine/experiment/role-run.js';

const config = (prune: Record<string, unknown>) =>
  resolveConfig({ task: 'shapenet', data: '/data', prune: { sparsity: 0.5, ...prune } });

describe('roleRunInput: what a role run is stored with', () => {
  it("stores the λ RANP will use: the paper's 11 for ShapeNet when none is given, else the given one", () => {
    expect(roleRunInput(config({ method: 'ranp-f' }), 'pruned', 1, 'native').lambda).toBe(11);
    expect(roleRunInput(config({ method: 'ranp-m', lambda: 4 }), 'pruned', 1, 'native').lambda).toBe(4);
  });

  it('stores no λ where none applies: the unpruned net and methods without resource weighting', () => {
    expect(
      roleRunInput(config({ method: 'ranp-f' }), 'unpruned', undefined, 'native').lambda,
    ).toBeUndefined();
    expect(roleRunInput(config({ method: 'random' }), 'pruned', 1, 'native').lambda).toBeUndefined();
  });

  it('stores the backend the run trains on', () => {
    expect(roleRunInput(config({ method: 'ranp-f' }), 'pruned', 1, 'native').backend).toBe('native');
  });
});
