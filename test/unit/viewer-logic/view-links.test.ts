import { describe, expect, it } from 'vitest';
import { ViewLinks, type ViewState } from '../../../renderer/viewer/view-links.js';

const initial: ViewState = {
  cursor: [0, 0, 0],
  zoom: 1,
  pan: { axial: [0, 0], coronal: [0, 0], sagittal: [0, 0] },
  orbit: { azimuth: 0, elevation: 0 },
};

describe('linked panels', () => {
  it('moves every linked panel together', () => {
    const links = new ViewLinks(initial, 3);
    expect(links.update(1, (s) => (s.cursor = [1, 2, 3]))).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((p) => links.stateOf(p).cursor)).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });

  it('leaves an unlinked panel where it was, and relinking adopts the shared view', () => {
    const links = new ViewLinks(initial, 3);
    links.setLinked(2, false);
    expect(links.update(0, (s) => (s.zoom = 3))).toEqual([0, 1]);
    expect(links.stateOf(2).zoom).toBe(1);
    expect(links.update(2, (s) => (s.pan.axial = [5, 5]))).toEqual([2]);
    expect(links.stateOf(0).pan.axial).toEqual([0, 0]);
    links.setLinked(2, true);
    expect(links.isLinked(2)).toBe(true);
    expect(links.stateOf(2).zoom).toBe(3);
    // The initial state object is never written to.
    expect(initial.zoom).toBe(1);
  });

  it('names a panel that does not exist', () => {
    expect(() => new ViewLinks(initial, 2).stateOf(2)).toThrow('panel 2 does not exist (have 2)');
  });
});
