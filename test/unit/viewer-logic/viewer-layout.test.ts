import { describe, expect, it } from 'vitest';
import { TITLE_STRIP, ViewerLayout } from '../../../renderer/viewer/viewer-layout.js';

function layout(): ViewerLayout {
  const l = new ViewerLayout();
  l.width = 801;
  l.height = 418;
  l.panelCount = 4;
  l.views = ['axial', 'coronal', 'sagittal', '3d'];
  return l;
}

describe('viewer layout', () => {
  it('puts panels in columns and views in rows, one pixel apart, below the title strip', () => {
    const l = layout();
    // 801 px / 4 columns = 200.25; (418 − 18) / 4 rows = 100
    expect(l.cellRect(0, 'axial')).toEqual({ x: 0, y: TITLE_STRIP, width: 199, height: 99 });
    expect(l.cellRect(3, '3d')).toEqual({ x: 601, y: TITLE_STRIP + 300, width: 199, height: 99 });
    expect(l.cellAt(650, TITLE_STRIP + 150)).toEqual({ panel: 3, view: 'coronal' });
    expect(l.titleAt(450, 5)).toBe(2);
  });

  it('shows a maximised panel alone with its four views in a 2×2 grid, and refuses the hidden ones', () => {
    const l = layout();
    l.maximised = 1;
    expect(l.shownPanels()).toEqual([1]);
    // 801 / 2 = 400.5; 400 / 2 = 200
    expect(l.cellRect(1, 'axial')).toEqual({ x: 0, y: TITLE_STRIP, width: 400, height: 199 });
    expect(l.cellRect(1, '3d')).toEqual({ x: 401, y: TITLE_STRIP + 200, width: 399, height: 199 });
    expect(l.cellAt(600, TITLE_STRIP + 10)).toEqual({ panel: 1, view: 'coronal' });
    expect(() => l.cellRect(0, 'axial')).toThrow(/panel 0 is not shown \(panel 1 is maximised\)/);
    expect(l.titleAt(700, 5)).toBe(1);
  });

  it('names a view that is not shown', () => {
    const l = layout();
    l.views = ['axial'];
    expect(() => l.cellRect(0, '3d')).toThrow(/view "3d" is not shown \(showing axial\)/);
  });
});
