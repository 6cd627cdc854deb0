import type { SliceViewName } from './orientation.js';
import type { ViewName } from './viewer-layout.js';

/** What pointer gestures act on (ComparisonViewer implements it); x, y are CSS px on the canvas. */
export interface PointerTarget {
  cellAt(x: number, y: number): { panel: number; view: ViewName } | null;
  titleAt(x: number, y: number): number | null;
  /** False until volumes are loaded: gestures do nothing then. */
  readonly ready: boolean;
  cursorTo(panel: number, view: SliceViewName, x: number, y: number): void;
  panByPixels(panel: number, view: SliceViewName, dx: number, dy: number): void;
  orbitByPixels(panel: number, dx: number, dy: number): void;
  /** Drag right widens the window, drag up raises the level (as in ITK-SNAP and 3D Slicer). */
  windowByPixels(dx: number, dy: number): void;
  moveSlice(panel: number, view: SliceViewName, steps: number): void;
  zoomBy(panel: number, factor: number): void;
  toggleMaximised(panel: number): void;
}

type DragMode = 'cursor' | 'pan' | 'orbit' | 'window';

/**
 * Mouse and touch on the viewer. Slice cells: left drag moves the cursor, right drag sets window/level,
 * middle or shift-left drag pans, wheel steps the slice (ctrl-wheel zooms). 3D cells: drag orbits, wheel
 * zooms. Double-click on a cell or a panel title maximises that panel or restores all panels.
 */
export class ViewerPointerInput {
  private drag: { panel: number; view: ViewName; x: number; y: number; mode: DragMode } | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly element: HTMLElement,
    private readonly target: PointerTarget,
  ) {
    const on = <K extends keyof HTMLElementEventMap>(
      type: K,
      listener: (e: HTMLElementEventMap[K]) => void,
      options: AddEventListenerOptions = {},
    ): void => element.addEventListener(type, listener, { ...options, signal: this.abort.signal });
    on('contextmenu', (e) => e.preventDefault());
    on('pointerdown', (e) => this.down(e));
    on('pointermove', (e) => this.move(e));
    on('pointerup', () => (this.drag = null));
    on('pointercancel', () => (this.drag = null));
    on('dblclick', (e) => this.doubleClick(e));
    on('wheel', (e) => this.wheel(e), { passive: false });
  }

  private local(e: MouseEvent): [number, number] {
    const r = this.element.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private down(e: PointerEvent): void {
    const [x, y] = this.local(e);
    const cell = this.target.cellAt(x, y);
    if (!cell || !this.target.ready) return;
    this.element.setPointerCapture(e.pointerId);
    const mode: DragMode =
      cell.view === '3d'
        ? 'orbit'
        : e.button === 2
          ? 'window'
          : e.button === 1 || e.shiftKey
            ? 'pan'
            : 'cursor';
    this.drag = { ...cell, x, y, mode };
    if (mode === 'cursor') this.target.cursorTo(cell.panel, cell.view as SliceViewName, x, y);
  }

  private move(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const [x, y] = this.local(e);
    const [dx, dy] = [x - drag.x, y - drag.y];
    const view = drag.view as SliceViewName;
    if (drag.mode === 'orbit') this.target.orbitByPixels(drag.panel, dx, dy);
    else if (drag.mode === 'cursor') this.target.cursorTo(drag.panel, view, x, y);
    else if (drag.mode === 'window') this.target.windowByPixels(dx, dy);
    else this.target.panByPixels(drag.panel, view, dx, dy);
    drag.x = x;
    drag.y = y;
  }

  private doubleClick(e: MouseEvent): void {
    const [x, y] = this.local(e);
    const panel = this.target.cellAt(x, y)?.panel ?? this.target.titleAt(x, y);
    if (panel !== null && this.target.ready) this.target.toggleMaximised(panel);
  }

  private wheel(e: WheelEvent): void {
    const [x, y] = this.local(e);
    const cell = this.target.cellAt(x, y);
    if (!cell || !this.target.ready) return;
    e.preventDefault();
    const direction = e.deltaY > 0 ? -1 : 1;
    if (cell.view === '3d' || e.ctrlKey) this.target.zoomBy(cell.panel, direction > 0 ? 1.1 : 1 / 1.1);
    else this.target.moveSlice(cell.panel, cell.view, direction);
  }

  dispose(): void {
    this.abort.abort();
  }
}
