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

/** The cells' captions, drawn and measured (the notices end short of the last one). */
const CAPTION_FONT = '11px sans-serif';

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
        ctx.font = CAPTION_FONT;
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
    // Notices stack up from the bottom right, wrapped to end short of the caption of the bottom row's
    // rightmost cell, so a long one (a downsampling notice in a maximised panel) covers no caption.
    ctx.font = CAPTION_FONT;
    const bottomRow = layout
      .shownPanels()
      .flatMap((panel) => layout.views.map((view) => ({ panel, view, rect: layout.cellRect(panel, view) })))
      .filter(({ rect }) => rect.y + rect.height >= layout.height - 2);
    const corner = bottomRow.reduce((a, b) => (b.rect.x > a.rect.x ? b : a), bottomRow[0]);
    const captionEnd = corner
      ? corner.rect.x + 4 + ctx.measureText(content.caption(corner.panel, corner.view)).width
      : 0;
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'right';
    const maxWidth = Math.max(layout.width - captionEnd - 20, 80);
    const lines = content.notices.flatMap((notice, i) =>
      wrapText(notice, maxWidth, (t) => ctx.measureText(t).width).map((text) => ({ text, first: i === 0 })),
    );
    lines.forEach(({ text, first }, i) => {
      const y = layout.height - 10 - (lines.length - 1 - i) * 16;
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      const w = ctx.measureText(text).width;
      ctx.fillRect(layout.width - w - 10, y - 8, w + 8, 16);
      ctx.fillStyle = first ? '#ffd54a' : '#ff8a65';
      ctx.fillText(text, layout.width - 6, y);
    });
  }
}

/** `text` broken at spaces into lines no wider than `maxWidth` (a word wider than that keeps a line of its own). */
export function wrapText(text: string, maxWidth: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}
