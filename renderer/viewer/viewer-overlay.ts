import { viewAxes, type DisplayConvention } from './orientation.js';
import { TITLE_STRIP, type ViewerLayout, type ViewName } from './viewer-layout.js';

/** What the overlay shows besides the layout: per-panel titles, per-cell captions, notices. */
export interface OverlayContent {
  layout: ViewerLayout;
  convention: DisplayConvention;
  /** Title of each panel (index = panel). */
  titles: readonly string[];
  /** Caption at a cell's bottom left, e.g. "axial 91/181". */
  caption: (panel: number, view: ViewName) => string;
  /** Lines at the bottom right; the first (the display convention) in yellow, the rest in orange. */
  notices: readonly string[];
}

/**
 * The 2D canvas over the WebGL canvas: patient orientation letters at each slice cell's edges, captions,
 * panel titles in the strip above the cells, and notices. Pointer input is received on this canvas.
 */
export class ViewerOverlay {
  readonly canvas = document.createElement('canvas');

  constructor() {
    this.canvas.style.touchAction = 'none';
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.canvas.width = Math.round(width * pixelRatio);
    this.canvas.height = Math.round(height * pixelRatio);
  }

  draw(content: OverlayContent, pixelRatio: number): void {
    const { layout } = content;
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.textBaseline = 'middle';
    for (const panel of layout.shownPanels()) {
      for (const view of layout.views) {
        const rect = layout.cellRect(panel, view);
        if (view !== '3d') {
          const { edges } = viewAxes(view, content.convention);
          ctx.font = 'bold 13px sans-serif';
          ctx.fillStyle = '#ffd54a';
          ctx.textAlign = 'left';
          ctx.fillText(edges.left, rect.x + 4, rect.y + rect.height / 2);
          ctx.textAlign = 'right';
          ctx.fillText(edges.right, rect.x + rect.width - 4, rect.y + rect.height / 2);
          ctx.textAlign = 'center';
          ctx.fillText(edges.top, rect.x + rect.width / 2, rect.y + 10);
          ctx.fillText(edges.bottom, rect.x + rect.width / 2, rect.y + rect.height - 10);
        }
        ctx.font = '11px sans-serif';
        ctx.fillStyle = '#cfd8dc';
        ctx.textAlign = 'left';
        ctx.fillText(content.caption(panel, view), rect.x + 4, rect.y + rect.height - 10);
      }
      const span = layout.titleSpan(panel);
      ctx.save();
      ctx.beginPath();
      ctx.rect(span.x, 0, span.width - 4, TITLE_STRIP);
      ctx.clip();
      ctx.font = 'bold 12px sans-serif';
      ctx.fillStyle = '#ffffff';
      ctx.textAlign = 'left';
      ctx.fillText(content.titles[panel], span.x + 4, TITLE_STRIP / 2);
      ctx.restore();
    }
    const lines = content.notices;
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'right';
    lines.forEach((line, i) => {
      const y = layout.height - 10 - (lines.length - 1 - i) * 16;
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      const w = ctx.measureText(line).width;
      ctx.fillRect(layout.width - w - 10, y - 8, w + 8, 16);
      ctx.fillStyle = i === 0 ? '#ffd54a' : '#ff8a65';
      ctx.fillText(line, layout.width - 6, y);
    });
  }
}
