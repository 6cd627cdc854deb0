import type { SliceViewName } from './orientation.js';
import type { Rect } from './rect.js';

export type ViewName = SliceViewName | '3d';
export const ALL_VIEWS: readonly ViewName[] = ['axial', 'coronal', 'sagittal', '3d'];

/** Height of the strip above the cells that holds the panel titles (CSS px). */
export const TITLE_STRIP = 18;

/**
 * Where each (panel, view) cell sits on the canvas. Normally panels are columns and views rows; with one
 * panel maximised only that panel is shown, its views in a grid (2×2 for four views), so each view —
 * the 3D one included — gets a large cell.
 */
export class ViewerLayout {
  width = 1;
  height = 1;
  panelCount = 0;
  views: readonly ViewName[] = ALL_VIEWS;
  /** The panel shown alone, or null for all panels side by side. */
  maximised: number | null = null;

  /** Panels with cells on screen, left to right. */
  shownPanels(): number[] {
    if (this.maximised !== null) return [this.maximised];
    return Array.from({ length: this.panelCount }, (_, i) => i);
  }

  isShown(panel: number): boolean {
    return this.maximised === null ? panel >= 0 && panel < this.panelCount : panel === this.maximised;
  }

  /** The columns × rows grid and the (column, row) of each view inside one panel's area. */
  private grid(): { columns: number; rows: number; place: (panel: number, row: number) => [number, number] } {
    if (this.maximised === null) {
      return { columns: this.panelCount, rows: this.views.length, place: (panel, row) => [panel, row] };
    }
    const columns = this.views.length > 2 ? 2 : this.views.length;
    const rows = Math.ceil(this.views.length / columns);
    return { columns, rows, place: (_, row) => [row % columns, Math.floor(row / columns)] };
  }

  cellRect(panel: number, view: ViewName): Rect {
    const row = this.views.indexOf(view);
    if (row < 0) throw new Error(`cellRect: view "${view}" is not shown (showing ${this.views.join(', ')})`);
    if (!this.isShown(panel)) {
      throw new Error(`cellRect: panel ${panel} is not shown (panel ${this.maximised} is maximised)`);
    }
    const { columns, rows, place } = this.grid();
    const [column, line] = place(panel, row);
    const width = this.width / columns;
    const height = (this.height - TITLE_STRIP) / rows;
    // One pixel gap between cells keeps the grid readable.
    return {
      x: Math.round(column * width),
      y: TITLE_STRIP + Math.round(line * height),
      width: Math.round((column + 1) * width) - Math.round(column * width) - 1,
      height: Math.round((line + 1) * height) - Math.round(line * height) - 1,
    };
  }

  /** Left edge and width of a panel's title in the title strip. */
  titleSpan(panel: number): { x: number; width: number } {
    if (this.maximised !== null) return { x: 0, width: this.width };
    const width = this.width / this.panelCount;
    return { x: Math.round(panel * width), width: Math.round(width) };
  }

  cellAt(x: number, y: number): { panel: number; view: ViewName } | null {
    for (const panel of this.shownPanels()) {
      for (const view of this.views) {
        const r = this.cellRect(panel, view);
        if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return { panel, view };
      }
    }
    return null;
  }

  /** The panel whose title is at (x, y) in the title strip. */
  titleAt(x: number, y: number): number | null {
    if (y < 0 || y >= TITLE_STRIP) return null;
    for (const panel of this.shownPanels()) {
      const span = this.titleSpan(panel);
      if (x >= span.x && x < span.x + span.width) return panel;
    }
    return null;
  }
}
