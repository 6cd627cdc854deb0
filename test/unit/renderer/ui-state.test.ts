import { describe, expect, it } from 'vitest';
import { restoreUiState, saveUiState, uiStateHash } from '../../../renderer/ui-state.js';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = { ...initial };
  return {
    data,
    getItem: (k: string) => data[k] ?? null,
    setItem: (k: string, v: string) => void (data[k] = v),
  };
}

describe('UI state in the address and local storage', () => {
  it('a link’s fragment wins over local storage; unknown views and malformed ids are dropped', () => {
    const storage = memoryStorage({ 'ranp-ui': 'view=runs&runs=1%2C2&data=%2Fdata%2Fbrats' });
    expect(restoreUiState('#token=abc', storage)).toEqual({
      view: 'runs',
      runs: ['1', '2'],
      dataset: '/data/brats',
    });
    expect(restoreUiState('#token=abc&view=compare&runs=7,x,8', storage)).toEqual({
      view: 'compare',
      runs: ['7', '8'],
      dataset: '/data/brats',
    });
    expect(restoreUiState('#view=nowhere', memoryStorage())).toEqual({ view: 'data', runs: [] });
  });

  it('keeps the session key in the address but never in local storage', () => {
    const storage = memoryStorage();
    let replaced = '';
    const state = { view: 'compare' as const, runs: ['3', '4'], dataset: '/d' };
    saveUiState(state, storage, { hash: '#token=secret' }, (h) => (replaced = h));
    expect(new URLSearchParams(replaced.slice(1)).get('token')).toBe('secret');
    expect(restoreUiState(replaced, memoryStorage())).toEqual(state);
    expect(storage.data['ranp-ui']).not.toContain('secret');
    expect(restoreUiState('', storage)).toEqual(state);
    // Nothing selected: the parameter goes.
    expect(uiStateHash(replaced, { view: 'runs', runs: [] })).toBe('#token=secret&view=runs');
  });
});
