import { Vector2, Vector3, WebGLRenderer } from 'three';
import { applyAffine, worldBounds, type Vec3 } from './affine.js';
import type { ColourTable, LabelDisplay } from './colour-table.js';
import type { ViewerLimits } from '../../engine/protocol/index.js';
import { downsampleNotices, fitted, fitToLimits, type FittedVolume } from './downsample.js';
import { limitsOf } from './gpu-limits.js';
import {
  conventionNotice,
  SLICE_VIEWS,
  viewAxes,
  type DisplayConvention,
  type SliceViewName,
} from './orientation.js';
import { cloneViewState, ViewLinks, type ViewState } from './view-links.js';
import { ViewerCameras, dot } from './viewer-cameras.js';
import { ALL_VIEWS, ViewerLayout, type ViewName } from './viewer-layout.js';
import { ViewerOverlay } from './viewer-overlay.js';
import { ViewerPanel } from './viewer-panel.js';
import { ViewerPointerInput, type PointerTarget } from './viewer-pointer-input.js';
import { ViewerReadout, type CursorReadout, type SliceIndex } from './viewer-readout.js';
import { appendChannels, type ViewerVolume } from './volume-data.js';
import { VolumeTexture } from './volume-texture.js';
import { windowPresets, type WindowPreset } from './window-presets.js';
import { readCanvasRegion } from './canvas-readback.js';
import type { Rect } from './rect.js';

export { ALL_VIEWS, type ViewName } from './viewer-layout.js';
export type { CursorReadout, SliceIndex } from './viewer-readout.js';
export type { Rect } from './rect.js';

export interface PanelSpec {
  title: string;
  labels: ViewerVolume | null;
  table: ColourTable | null;
}

export interface ComparisonViewerOptions {
  views?: readonly ViewName[];
  convention?: DisplayConvention;
  /** Pretend the GPU allows at most this 3D texture size (to exercise downsampling); default: the GPU's. */
  maxTextureSize?: number;
}

/**
 * Panels side by side (columns) × views (rows: axial, coronal, sagittal, 3D) on one WebGL2 canvas with
 * scissored viewports (ViewerLayout places the cells, ViewerCameras frames them), plus a 2D overlay for
 * orientation letters, titles and notices (ViewerOverlay) that also takes pointer input
 * (ViewerPointerInput). Linked panels share cursor, slices, zoom, pan and 3D camera (ViewLinks).
 */
export class ComparisonViewer implements PointerTarget {
  readonly canvas: HTMLCanvasElement;
  private readonly overlay = new ViewerOverlay();
  private readonly renderer: WebGLRenderer;
  private readonly layout = new ViewerLayout();
  private readonly cameras = new ViewerCameras();
  private readonly input: ViewerPointerInput;
  private readonly resizeObserver: ResizeObserver;
  private readonly listeners = new Set<() => void>();
  private panels: ViewerPanel[] = [];
  private links: ViewLinks | null = null;
  /** Values and slice numbers from the volumes as given; `image` is the image as drawn (fitted to the texture limit). */
  private readonly values = new ViewerReadout();
  private image: ViewerVolume | null = null;
  private imageTexture: VolumeTexture | null = null;
  private windows: [number, number][] = [];
  private presets = new Map<number, WindowPreset[]>();
  private readonly labelSettings = new Map<
    string,
    { display: Map<number, LabelDisplay>; outline: boolean }
  >();
  private frameRequest = 0;
  private dirty = true;
  /** The GPU's 3D texture size (or the test hook's smaller one) and the viewer's voxel budget. */
  readonly limits: ViewerLimits;
  crosshair = true;
  channel = 0;
  notices: string[] = [];

  constructor(
    private readonly container: HTMLElement,
    options: ComparisonViewerOptions = {},
  ) {
    this.layout.views = options.views ?? ALL_VIEWS;
    this.cameras.convention = options.convention ?? 'radiological';
    this.canvas = document.createElement('canvas');
    for (const c of [this.canvas, this.overlay.canvas]) {
      c.style.position = 'absolute';
      c.style.left = '0';
      c.style.top = '0';
      c.style.width = '100%';
      c.style.height = '100%';
    }
    container.style.position ||= 'relative';
    container.append(this.canvas, this.overlay.canvas);
    // preserveDrawingBuffer: PNG export and pixel read-back can happen between frames.
    this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.autoClear = false;
    this.limits = limitsOf(this.renderer.getContext() as WebGL2RenderingContext, options.maxTextureSize);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
    this.input = new ViewerPointerInput(this.overlay.canvas, this);
  }

  // ---- data -------------------------------------------------------------------------------------

  /**
   * Shows `image` under each panel's label map. Volumes beyond the limits are downsampled; every volume
   * shown downsampled (here or by the engine) is named in a notice with its factor.
   */
  setVolumes(image: ViewerVolume, specs: readonly PanelSpec[]): void {
    if (image.header.kind !== 'image')
      throw new Error(`setVolumes: "${image.header.title}" is not an image volume`);
    this.disposePanels();
    const shown: FittedVolume[] = [];
    const fit = (volume: ViewerVolume): ViewerVolume => {
      const out = fitToLimits(volume, this.limits);
      shown.push(fitted(volume.header.title, out.header));
      return out;
    };
    this.image = fit(image);
    this.channel = 0;
    this.presets.clear();
    this.windows = image.header.channels.map((_, c) => image.header.ranges[c] ?? rangeOf(image.channels[c]));
    this.imageTexture = this.makeImageTexture();
    this.cameras.bounds = worldBounds(this.image.header.affine, this.image.header.dims);
    this.values.setVolumes(
      image,
      specs.map((spec) => ({ volume: spec.labels, table: spec.table })),
    );
    this.panels = specs.map((spec) => {
      const labels = spec.labels ? fit(spec.labels) : null;
      if (spec.table) {
        // Settings persist across loads per table; labels new to this load start shown.
        const settings = this.labelSettings.get(spec.table.name) ?? { display: new Map(), outline: false };
        for (const l of spec.table.labels) {
          if (!settings.display.has(l.value)) settings.display.set(l.value, { visible: true, opacity: 0.6 });
        }
        this.labelSettings.set(spec.table.name, settings);
      }
      return new ViewerPanel(spec.title, this.imageTexture!, labels, spec.table);
    });
    this.layout.panelCount = this.panels.length;
    this.layout.maximised = null;
    this.notices = downsampleNotices(shown, this.limits);
    const centreVoxel = image.header.dims.map((d) => Math.floor(d / 2));
    const initial: ViewState = {
      cursor: applyAffine(image.header.affine, centreVoxel),
      zoom: 1,
      pan: { axial: [0, 0], coronal: [0, 0], sagittal: [0, 0] },
      orbit: { azimuth: Math.PI / 6, elevation: 0.35 },
    };
    this.links = new ViewLinks(initial, this.panels.length);
    this.applyDisplay();
    this.changed();
  }

  /**
   * Adds image channels (modalities) that arrive after the first view (the app sends the shown modality
   * first): same grid as the image, appended after its channels; what is shown does not change.
   */
  addImageChannels(more: ViewerVolume): void {
    this.values.setImage(appendChannels(this.values.source, more));
    this.image = appendChannels(this.image!, fitToLimits(more, this.limits));
    this.windows.push(
      ...more.header.channels.map((_, c) => more.header.ranges[c] ?? rangeOf(more.channels[c])),
    );
    this.changed();
  }

  private makeImageTexture(): VolumeTexture {
    const linear = this.renderer.extensions.has('OES_texture_float_linear');
    return new VolumeTexture(this.image!, this.channel, { linear });
  }

  get ready(): boolean {
    return this.links !== null;
  }

  get panelCount(): number {
    return this.panels.length;
  }

  get modalities(): string[] {
    return this.image?.header.channels ?? [];
  }

  get views(): readonly ViewName[] {
    return this.layout.views;
  }

  get convention(): DisplayConvention {
    return this.cameras.convention;
  }

  get maximised(): number | null {
    return this.layout.maximised;
  }

  /** Per panel, whether its label surfaces have been extracted: not on open, the first time a 3D view draws. */
  get surfacesBuilt(): boolean[] {
    return this.panels.map((p) => p.hasSurfaces);
  }

  panelTitle(panel: number): string {
    return this.panel(panel).title;
  }

  private panel(index: number): ViewerPanel {
    const p = this.panels[index];
    if (!p) throw new Error(`ComparisonViewer: panel ${index} does not exist (have ${this.panels.length})`);
    return p;
  }

  // ---- display settings -------------------------------------------------------------------------

  setModality(channel: number): void {
    if (!this.image || channel < 0 || channel >= this.image.channels.length) {
      throw new Error(`setModality: channel ${channel} does not exist (have ${this.modalities.length})`);
    }
    if (channel === this.channel) return;
    this.channel = channel;
    const old = this.imageTexture;
    this.imageTexture = this.makeImageTexture();
    for (const p of this.panels) p.setImage(this.imageTexture);
    old?.dispose();
    this.applyDisplay();
    this.changed();
  }

  get window(): [number, number] {
    return [...(this.windows[this.channel] ?? [0, 1])];
  }

  /** Intensity window of the current modality: raw values low → black, high → white. */
  setWindow(low: number, high: number): void {
    if (!(high > low)) throw new Error(`setWindow: high (${high}) must exceed low (${low})`);
    this.windows[this.channel] = [low, high];
    this.applyDisplay();
    this.changed();
  }

  /** Window presets of the current modality (computed once per modality and load). */
  windowPresets(): WindowPreset[] {
    if (!this.image) return [];
    let presets = this.presets.get(this.channel);
    if (!presets) {
      const range = this.image.header.ranges[this.channel] ?? rangeOf(this.image.channels[this.channel]);
      presets = windowPresets(this.image.channels[this.channel], range);
      this.presets.set(this.channel, presets);
    }
    return presets;
  }

  /** Window/level drag: the window's width grows by 0.5 % of the full range per pixel right, its centre by 0.5 % per pixel up. */
  windowByPixels(dx: number, dy: number): void {
    if (!this.image) return;
    const [min, max] = this.image.header.ranges[this.channel] ?? [0, 1];
    const step = (max - min) * 0.005 || 0.005;
    const [low, high] = this.window;
    const width = Math.max(step, high - low + dx * step);
    const centre = (low + high) / 2 - dy * step;
    this.setWindow(centre - width / 2, centre + width / 2);
  }

  labelDisplay(tableName: string): ReadonlyMap<number, LabelDisplay> {
    return this.labelSettings.get(tableName)?.display ?? new Map();
  }

  setLabelDisplay(tableName: string, value: number, display: LabelDisplay): void {
    const settings = this.labelSettings.get(tableName);
    if (!settings) throw new Error(`setLabelDisplay: no panel uses colour table "${tableName}"`);
    settings.display.set(value, {
      visible: display.visible,
      opacity: Math.min(1, Math.max(0, display.opacity)),
    });
    this.applyDisplay();
    this.changed();
  }

  outline(tableName: string): boolean {
    return this.labelSettings.get(tableName)?.outline ?? false;
  }

  setOutline(tableName: string, outline: boolean): void {
    const settings = this.labelSettings.get(tableName);
    if (!settings) throw new Error(`setOutline: no panel uses colour table "${tableName}"`);
    settings.outline = outline;
    this.applyDisplay();
    this.changed();
  }

  setConvention(convention: DisplayConvention): void {
    this.cameras.convention = convention;
    this.applyDisplay();
    this.changed();
  }

  setCrosshair(visible: boolean): void {
    this.crosshair = visible;
    this.changed();
  }

  setViews(views: readonly ViewName[]): void {
    if (views.length === 0) throw new Error('setViews: at least one view');
    this.layout.views = views;
    this.changed();
  }

  /** Shows one panel alone, its views in a grid (null: all panels side by side again). */
  setMaximised(panel: number | null): void {
    if (panel !== null) this.panel(panel);
    this.layout.maximised = panel;
    this.changed();
  }

  toggleMaximised(panel: number): void {
    this.setMaximised(this.layout.maximised === panel ? null : panel);
  }

  private applyDisplay(): void {
    const [low, high] = this.window;
    for (const p of this.panels) {
      p.setWindow(low, high);
      const settings = p.table ? this.labelSettings.get(p.table.name) : undefined;
      if (settings) p.setLabelSettings(settings, this.convention);
    }
  }

  // ---- navigation (each call affects the panel and, when linked, every linked panel) ---------------

  stateOf(panel: number): ViewState {
    return cloneViewState(this.requireLinks().stateOf(panel));
  }

  isLinked(panel: number): boolean {
    return this.requireLinks().isLinked(panel);
  }

  setLinked(panel: number, linked: boolean): void {
    this.requireLinks().setLinked(panel, linked);
    this.changed();
  }

  setCursor(panel: number, world: Vec3): void {
    const { min, max } = this.cameras.bounds;
    const clamped = world.map((v, a) => Math.min(max[a], Math.max(min[a], v))) as Vec3;
    this.update(panel, (s) => {
      s.cursor = clamped;
    });
  }

  /** Moves the slice of `view` by whole image voxels along its normal. */
  moveSlice(panel: number, view: SliceViewName, steps: number): void {
    const axis = viewAxes(view, this.convention).normalAxis;
    const step = this.values.step(axis);
    const cursor = [...this.requireLinks().stateOf(panel).cursor] as Vec3;
    cursor[axis] += steps * step;
    this.setCursor(panel, cursor);
  }

  setZoom(panel: number, zoom: number): void {
    const z = Math.min(50, Math.max(0.1, zoom));
    this.update(panel, (s) => {
      s.zoom = z;
    });
  }

  zoomBy(panel: number, factor: number): void {
    this.setZoom(panel, this.requireLinks().stateOf(panel).zoom * factor);
  }

  /** Pans a slice view by a screen offset in mm (right, up). */
  pan(panel: number, view: SliceViewName, right: number, up: number): void {
    this.update(panel, (s) => {
      s.pan[view] = [s.pan[view][0] + right, s.pan[view][1] + up];
    });
  }

  panByPixels(panel: number, view: SliceViewName, dx: number, dy: number): void {
    const mm = this.cameras.mmPerPixel(this.requireLinks().stateOf(panel), view, this.cellRect(panel, view));
    this.pan(panel, view, -dx * mm, dy * mm);
  }

  orbit(panel: number, azimuth: number, elevation: number): void {
    this.update(panel, (s) => {
      s.orbit = {
        azimuth: s.orbit.azimuth + azimuth,
        elevation: Math.min(1.5, Math.max(-1.5, s.orbit.elevation + elevation)),
      };
    });
  }

  orbitByPixels(panel: number, dx: number, dy: number): void {
    this.orbit(panel, -dx * 0.01, dy * 0.01);
  }

  cursorTo(panel: number, view: SliceViewName, x: number, y: number): void {
    this.setCursor(panel, this.screenToWorld(panel, view, x, y));
  }

  /** Pans every slice view so the cursor sits at its centre. */
  centreOnCursor(panel: number): void {
    const centre = this.cameras.centre();
    this.update(panel, (s) => {
      for (const view of SLICE_VIEWS) {
        const { right, up } = viewAxes(view, this.convention);
        const offset = s.cursor.map((v, a) => v - centre[a]);
        s.pan[view] = [dot(offset, right), dot(offset, up)];
      }
    });
  }

  private update(panel: number, change: (s: ViewState) => void): void {
    this.requireLinks().update(panel, change);
    this.changed();
  }

  private requireLinks(): ViewLinks {
    if (!this.links) throw new Error('ComparisonViewer: no volumes loaded yet (call setVolumes first)');
    return this.links;
  }

  /** The voxel (i, j, k) of the image under the panel's cursor (rounded; may lie outside near the edges). */
  cursorVoxel(panel: number): Vec3 {
    return this.values.voxel(this.stateOf(panel).cursor);
  }

  /** Voxel index, world position, intensity per modality and each panel's label at the panel's cursor. */
  readout(panel: number): CursorReadout {
    return this.values.at(this.stateOf(panel).cursor);
  }

  /** The slice `view` shows, as an index along the image voxel axis closest to the view's normal. */
  sliceIndex(panel: number, view: SliceViewName): SliceIndex {
    return this.values.sliceIndex(this.stateOf(panel).cursor, view, this.convention);
  }

  /** Moves `view`'s slice to image voxel index `index` along its axis (sliceIndex), keeping the in-plane cursor. */
  setSliceIndex(panel: number, view: SliceViewName, index: number): void {
    this.setCursor(panel, this.values.atSlice(this.stateOf(panel).cursor, view, this.convention, index));
  }

  // ---- layout and rendering -----------------------------------------------------------------------

  cellRect(panel: number, view: ViewName): Rect {
    this.panel(panel);
    return this.layout.cellRect(panel, view);
  }

  cellAt(x: number, y: number): { panel: number; view: ViewName } | null {
    return this.layout.cellAt(x, y);
  }

  titleAt(x: number, y: number): number | null {
    return this.layout.titleAt(x, y);
  }

  /** World point under a CSS pixel of a slice cell (the normal coordinate is the slice's). */
  screenToWorld(panel: number, view: SliceViewName, x: number, y: number): Vec3 {
    return this.cameras.screenToWorld(
      this.requireLinks().stateOf(panel),
      view,
      this.cellRect(panel, view),
      x,
      y,
    );
  }

  /** CSS pixel where a world point appears in a slice cell. */
  worldToScreen(panel: number, view: SliceViewName, world: Vec3): [number, number] {
    return this.cameras.worldToScreen(
      this.requireLinks().stateOf(panel),
      view,
      this.cellRect(panel, view),
      world,
    );
  }

  /** Draws every cell now (tests and export call this; interaction schedules it per animation frame). */
  render(): void {
    cancelAnimationFrame(this.frameRequest);
    this.frameRequest = 0;
    this.dirty = false;
    const size = this.renderer.getSize(new Vector2());
    this.renderer.setScissorTest(false);
    this.renderer.setClearColor(0x202020, 1);
    this.renderer.clear();
    this.renderer.setScissorTest(true);
    this.renderer.setClearColor(0x000000, 1);
    for (const index of this.layout.shownPanels()) {
      const panel = this.panels[index];
      const state = this.requireLinks().stateOf(index);
      panel.sync(state, this.cameras.bounds, this.crosshair);
      for (const view of this.layout.views) {
        const rect = this.cellRect(index, view);
        const glY = size.y - rect.y - rect.height;
        this.renderer.setViewport(rect.x, glY, rect.width, rect.height);
        this.renderer.setScissor(rect.x, glY, rect.width, rect.height);
        this.renderer.clear();
        let camera;
        if (view === '3d') {
          panel.ensureSurfaces();
          camera = this.cameras.setup3D(state, rect);
          panel.placeHeadlight(camera.position, new Vector3(...this.cameras.centre()));
        } else camera = this.cameras.setupSlice(state, view, rect);
        this.renderer.render(panel.scene, camera);
      }
    }
    this.drawOverlay();
  }

  private drawOverlay(): void {
    if (!this.links) return;
    const links = this.links;
    this.overlay.draw(
      {
        layout: this.layout,
        convention: this.convention,
        titles: this.panels.map((p, i) => p.title + (links.isLinked(i) ? '' : ' (unlinked)')),
        caption: (panel, view) => {
          if (view === '3d') return '3d';
          const { index, count } = this.sliceIndex(panel, view);
          return `${view} ${index + 1}/${count}`;
        },
        notices: [conventionNotice(this.convention), ...this.notices],
      },
      this.renderer.getPixelRatio(),
    );
  }

  /**
   * Returns once the GPU has carried out everything drawn so far (a one-pixel read-back waits for it):
   * WebGL calls return before the GPU process uploads and draws, so this is when a frame can be seen.
   */
  finish(): void {
    const gl = this.renderer.getContext();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** The WebGL image and the overlay composed into one canvas (what the user sees). */
  composite(): HTMLCanvasElement {
    this.render();
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.drawImage(this.canvas, 0, 0);
    ctx.drawImage(this.overlay.canvas, 0, 0);
    return out;
  }

  exportPNG(): Promise<Blob> {
    const canvas = this.composite();
    return new Promise((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('exportPNG: the browser gave no PNG'))),
        'image/png',
      ),
    );
  }

  /** RGBA bytes of a CSS-pixel rectangle of the WebGL canvas (no overlay), rows top to bottom. */
  readPixels(rect: Rect): Uint8ClampedArray {
    if (this.dirty) this.render();
    return readCanvasRegion(this.canvas, rect, this.renderer.getPixelRatio(), { smoothing: false });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.dirty = true;
    if (!this.frameRequest) this.frameRequest = requestAnimationFrame(() => this.render());
    for (const listener of this.listeners) listener();
  }

  private resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(width, height, false);
    this.overlay.resize(width, height, this.renderer.getPixelRatio());
    this.layout.width = width;
    this.layout.height = height;
    if (this.links) this.changed();
  }

  private disposePanels(): void {
    for (const p of this.panels) p.dispose();
    this.panels = [];
    this.imageTexture?.dispose();
    this.imageTexture = null;
  }

  dispose(): void {
    cancelAnimationFrame(this.frameRequest);
    this.resizeObserver.disconnect();
    this.input.dispose();
    this.disposePanels();
    this.renderer.dispose();
    this.canvas.remove();
    this.overlay.canvas.remove();
    this.listeners.clear();
  }
}

function rangeOf(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return max > min ? [min, max] : [min, min + 1];
}
