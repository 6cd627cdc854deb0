import { describe, expect, it } from 'vitest';
import { conventionNotice, SLICE_VIEWS, viewAxes } from '../../../renderer/viewer/orientation.js';

// World RAS+: +x patient right, +y anterior, +z superior. The letter a screen edge shows is the patient
// direction that world vector points to (written out by hand, not derived from the code).
const LETTER: Record<string, string> = {
  '1,0,0': 'R', '-1,0,0': 'L', '0,1,0': 'A', '0,-1,0': 'P', '0,0,1': 'S', '0,0,-1': 'I',
}; // prettier-ignore
const neg = (v: number[]) => v.map((c) => (c === 0 ? 0 : -c));

describe('slice view orientation', () => {
  it('radiological shows the patient right on the screen left, neurological on the right', () => {
    expect(viewAxes('axial', 'radiological').edges).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
    expect(viewAxes('axial', 'neurological').edges).toEqual({ left: 'L', right: 'R', top: 'A', bottom: 'P' });
    expect(viewAxes('coronal', 'radiological').edges).toEqual({
      left: 'R',
      right: 'L',
      top: 'S',
      bottom: 'I',
    });
    expect(viewAxes('sagittal', 'radiological').edges).toEqual({
      left: 'A',
      right: 'P',
      top: 'S',
      bottom: 'I',
    });
  });

  it('labels every edge with the direction its screen axis points to', () => {
    for (const convention of ['radiological', 'neurological'] as const) {
      for (const view of SLICE_VIEWS) {
        const a = viewAxes(view, convention);
        expect(LETTER[a.right.join()]).toBe(a.edges.right);
        expect(LETTER[neg(a.right).join()]).toBe(a.edges.left);
        expect(LETTER[a.up.join()]).toBe(a.edges.top);
        expect(LETTER[neg(a.up).join()]).toBe(a.edges.bottom);
        // The normal is the world axis neither screen axis uses.
        const used = [a.right, a.up].map((v) => v.findIndex((c) => c !== 0));
        expect([0, 1, 2].filter((x) => !used.includes(x))).toEqual([a.normalAxis]);
      }
    }
    expect(conventionNotice('radiological')).toMatch(/right on screen left/);
  });
});
