import {
  AmbientLight,
  DirectionalLight,
  Object3D,
  OrthographicCamera,
  PerspectiveCamera,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { applyAffine, invertAffine, worldBounds, type Vec3 } from './affine.js';
import type { ColourTable, LabelDisplay } from './colour-table.js';
import { downsampleNotices, fitToTextureLimit } from './downsample.js';
import {
  conventionNotice,
  SLICE_VIEWS,
  viewAxes,
  type DisplayConvention,
  type SliceViewName,
} from './orientation.js';
import { cloneViewState, ViewLinks, type ViewState } from './view-links.js';
import { LAYERS, ViewerPanel, type WorldBounds } from './viewer-panel.js';
import type { ViewerVolume } from './volume-data.js';
import { VolumeTexture } from './volume-texture.js';
import { readCanvasRegion } from './canvas-readback.js';
import type { Rect } from './rect.js';

export type ViewName = SliceViewName | '3d';
export const ALL_VIEWS: readonly ViewName[] = ['axial', 'coronal', 'sagittal', '3d'];

export interface PanelSpec {
  title: string;
  labels: ViewerVolume | null;
  table: ColourTable | null;
}

export type { Rect } from './rect.js';

export interface ComparisonViewerOptions {
  views?: readonly ViewName[];
  convention?: DisplayConvention;
  /** Pretend the GPU allows at most this 3D texture size (to exercise downsampling); default: the GPU's. */
  maxTextureSize?: number;
}

interface SliceFrame {
  centre: Vector3;
  right: Vector3;
  up: Vector3;
  halfWidth: number;
  halfHeight: number;
  normalAxis: 0 | 1 | 2;
}

const FOV_DEGREES = 35;
/** Height of the strip above the cells that holds the panel titles (CSS px). */
const TITLE_STRIP = 18;

/**
 * Panels side by side (columns) × views (rows: axial, coronal, sagittal, 3D) on one WebGL2 canvas with
 * scissored viewports, plus a 2D overlay canvas for orientation letters, titles and notices.
 * Linked panels share cursor, slices, zoom, pan and 3D camera (ViewLinks).
 */
export class ComparisonViewer {
  readonly canvas: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly sliceCamera = new OrthographicCamera();
  private readonly perspective = new PerspectiveCamera(FOV_DEGREES, 1, 0.1, 10_000);
  private readonly resizeObserver: ResizeObserver;
  private readonly listeners = new Set<() => void>();
  private panels: ViewerPanel[] = [];
  private links: ViewLinks | null = null;
  private image: ViewerVolume | null = null;
  private imageTexture: VolumeTexture | null = null;
  private bounds: WorldBounds = { min: [0, 0, 0], max: [1, 1, 1] };
  private windows: [number, number][] = [];
  private readonly labelSettings = new Map<
    string,
    { display: Map<number, LabelDisplay>; outline: boolean }
  >();
  private frameRequest = 0;
  private dirty = true;
  readonly maxTextureSize: number;
  views: readonly ViewName[];
  convention: DisplayConvention;
  crosshair = true;
  channel = 0;
  notices: string[] = [];

  constructor(
    private readonly container: HTMLElement,
    options: ComparisonViewerOptions = {},
  ) {
    this.views = options.views ?? ALL_VIEWS;
    this.convention = options.convention ?? 'radiological';
    this.canvas = document.createElement('canvas');
    this.overlay = document.createElement('canvas');
    for (const c of [this.canvas, this.overlay]) {
      c.style.position = 'absolute';
      c.style.left = '0';
      c.style.top = '0';
      c.style.width = '100%';
      c.style.height = '100%';
    }
    this.overlay.style.touchAction = 'none';
    container.style.position ||= 'relative';
    container.append(this.canvas, this.overlay);
    // preserveDrawingBuffer: PNG export and pixel read-back can happen between frames.
    this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.autoClear = false;
    const gl = this.renderer.getContext() as WebGL2RenderingContext;
    const gpuLimit = gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number;
    this.maxTextureSize = Math.min(gpuLimit, options.maxTextureSize ?? gpuLimit);
    this.sliceCamera.up.set(0, 0, 1);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
    this.attachInput();
  }

  // ---- data -------------------------------------------------------------------------------------

  /** Shows `image` under each panel's label map. Volumes larger than the GPU allows are downsampled. */
  setVolumes(image: ViewerVolume, specs: readonly PanelSpec[]): void {
    if (image.header.kind !== 'image')
      throw new Error(`setVolumes: "${image.header.title}" is not an image volume`);
    this.disposePanels();
    const fittedVolumes: { title: string; from: number[]; to: number[]; factors: number[] }[] = [];
    const fit = (volume: ViewerVolume): ViewerVolume => {
      const fitted = fitToTextureLimit(volume, this.maxTextureSize);
      fittedVolumes.push({
        title: volume.header.title,
        from: volume.header.dims,
        to: fitted.volume.header.dims,
        factors: fitted.factors,
      });
      return fitted.volume;
    };
    this.image = fit(image);
    this.channel = 0;
    this.windows = this.image.header.channels.map(
      (_, c) => this.image!.header.ranges[c] ?? rangeOf(this.image!.channels[c]),
    );
    this.imageTexture = this.makeImageTexture();
    this.bounds = worldBounds(this.image.header.affine, this.image.header.dims);
    this.panels = specs.map((spec) => {
      const labels = spec.labels ? fit(spec.labels) : null;
      const panel = new ViewerPanel(spec.title, this.imageTexture!, labels, spec.table);
      if (spec.table) {
        // Settings persist across loads per table; labels new to this load start shown.
        const settings = this.labelSettings.get(spec.table.name) ?? { display: new Map(), outline: false };
        for (const l of spec.table.labels) {
          if (!settings.display.has(l.value)) settings.display.set(l.value, { visible: true, opacity: 0.6 });
        }
        this.labelSettings.set(spec.table.name, settings);
      }
      const light = new DirectionalLight(0xffffff, 2.2);
      light.layers.enableAll();
      const ambient = new AmbientLight(0xffffff, 0.8);
      ambient.layers.enableAll();
      const target = new Object3D();
      light.target = target;
      light.name = 'headlight';
      panel.scene.add(light, ambient, target);
      return panel;
    });
    this.notices = downsampleNotices(fittedVolumes, this.maxTextureSize);
    const centreVoxel = this.image.header.dims.map((d) => Math.floor(d / 2));
    const initial: ViewState = {
      cursor: applyAffine(this.image.header.affine, centreVoxel),
      zoom: 1,
      pan: { axial: [0, 0], coronal: [0, 0], sagittal: [0, 0] },
      orbit: { azimuth: Math.PI / 6, elevation: 0.35 },
    };
    this.links = new ViewLinks(initial, this.panels.length);
    this.applyDisplay();
    this.changed();
  }

  private makeImageTexture(): VolumeTexture {
    const linear = this.renderer.extensions.has('OES_texture_float_linear');
    return new VolumeTexture(this.image!, this.channel, { linear });
  }

  get panelCount(): number {
    return this.panels.length;
  }

  get modalities(): string[] {
    return this.image?.header.channels ?? [];
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
    this.convention = convention;
    this.applyDisplay();
    this.changed();
  }

  setCrosshair(visible: boolean): void {
    this.crosshair = visible;
    this.changed();
  }

  setViews(views: readonly ViewName[]): void {
    if (views.length === 0) throw new Error('setViews: at least one view');
    this.views = views;
    this.changed();
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
    const clamped = world.map((v, a) =>
      Math.min(this.bounds.max[a], Math.max(this.bounds.min[a], v)),
    ) as Vec3;
    this.update(panel, (s) => {
      s.cursor = clamped;
    });
  }

  /** Moves the slice of `view` by whole image voxels along its normal. */
  moveSlice(panel: number, view: SliceViewName, steps: number): void {
    const axis = viewAxes(view, this.convention).normalAxis;
    const step = this.imageStep(axis);
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

  /** Pans a slice view by a screen offset in mm (right, up). */
  pan(panel: number, view: SliceViewName, right: number, up: number): void {
    this.update(panel, (s) => {
      s.pan[view] = [s.pan[view][0] + right, s.pan[view][1] + up];
    });
  }

  orbit(panel: number, azimuth: number, elevation: number): void {
    this.update(panel, (s) => {
      s.orbit = {
        azimuth: s.orbit.azimuth + azimuth,
        elevation: Math.min(1.5, Math.max(-1.5, s.orbit.elevation + elevation)),
      };
    });
  }

  /** Pans every slice view so the cursor sits at its centre. */
  centreOnCursor(panel: number): void {
    const centre = this.boundsCentre();
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

  /** World length of one image voxel step along world axis `axis`. */
  private imageStep(axis: number): number {
    const inverse = invertAffine(this.image!.header.affine);
    return 1 / Math.max(Math.abs(inverse[axis]), Math.abs(inverse[4 + axis]), Math.abs(inverse[8 + axis]));
  }

  /** The voxel (i, j, k) of the image under the panel's cursor. */
  cursorVoxel(panel: number): Vec3 {
    const voxel = applyAffine(invertAffine(this.image!.header.affine), this.stateOf(panel).cursor);
    return voxel.map(Math.round) as Vec3;
  }

  // ---- layout and rendering -----------------------------------------------------------------------

  cellRect(panel: number, view: ViewName): Rect {
    const row = this.views.indexOf(view);
    if (row < 0) throw new Error(`cellRect: view "${view}" is not shown (showing ${this.views.join(', ')})`);
    this.panel(panel);
    const width = this.canvas.clientWidth / this.panels.length;
    const height = (this.canvas.clientHeight - TITLE_STRIP) / this.views.length;
    // One pixel gap between cells keeps the grid readable.
    return {
      x: Math.round(panel * width),
      y: TITLE_STRIP + Math.round(row * height),
      width: Math.round((panel + 1) * width) - Math.round(panel * width) - 1,
      height: Math.round((row + 1) * height) - Math.round(row * height) - 1,
    };
  }

  private boundsCentre(): Vec3 {
    return [0, 1, 2].map((a) => (this.bounds.min[a] + this.bounds.max[a]) / 2) as Vec3;
  }

  private sliceFrame(panel: number, view: SliceViewName, rect: Rect): SliceFrame {
    const state = this.requireLinks().stateOf(panel);
    const axes = viewAxes(view, this.convention);
    const right = new Vector3(...axes.right);
    const up = new Vector3(...axes.up);
    const centre = new Vector3(...this.boundsCentre())
      .addScaledVector(right, state.pan[view][0])
      .addScaledVector(up, state.pan[view][1]);
    centre.setComponent(axes.normalAxis, state.cursor[axes.normalAxis]);
    const extent = (dir: Vector3): number =>
      Math.abs(dot(this.bounds.max, dir.toArray()) - dot(this.bounds.min, dir.toArray()));
    const aspect = rect.width / Math.max(1, rect.height);
    const halfHeight = (Math.max(extent(up) / 2, extent(right) / 2 / aspect) * 1.04) / state.zoom;
    return { centre, right, up, halfWidth: halfHeight * aspect, halfHeight, normalAxis: axes.normalAxis };
  }

  /** World point under a CSS pixel of a slice cell (the normal coordinate is the slice's). */
  screenToWorld(panel: number, view: SliceViewName, x: number, y: number): Vec3 {
    const rect = this.cellRect(panel, view);
    const f = this.sliceFrame(panel, view, rect);
    const u = ((x - rect.x) / rect.width) * 2 - 1;
    const v = 1 - ((y - rect.y) / rect.height) * 2;
    return f.centre
      .clone()
      .addScaledVector(f.right, u * f.halfWidth)
      .addScaledVector(f.up, v * f.halfHeight)
      .toArray() as Vec3;
  }

  private setupSliceCamera(panel: number, view: SliceViewName, rect: Rect): OrthographicCamera {
    const f = this.sliceFrame(panel, view, rect);
    const cam = this.sliceCamera;
    const distance = this.diagonal() + 10;
    // The camera looks along up × right, so its screen x is `right` and screen y is `up`.
    const backwards = new Vector3().crossVectors(f.right, f.up);
    cam.position.copy(f.centre).addScaledVector(backwards, distance);
    cam.up.copy(f.up);
    cam.lookAt(f.centre);
    cam.left = -f.halfWidth;
    cam.right = f.halfWidth;
    cam.top = f.halfHeight;
    cam.bottom = -f.halfHeight;
    cam.near = 0.01;
    cam.far = distance * 2;
    cam.updateProjectionMatrix();
    cam.layers.disableAll();
    cam.layers.enable(LAYERS.plane[view]);
    cam.layers.enable(LAYERS.crosshair[view]);
    return cam;
  }

  private diagonal(): number {
    return Math.hypot(...this.bounds.max.map((v, a) => v - this.bounds.min[a]));
  }

  private setup3DCamera(panel: number, rect: Rect): PerspectiveCamera {
    const { orbit, zoom } = this.requireLinks().stateOf(panel);
    const centre = new Vector3(...this.boundsCentre());
    const distance = ((this.diagonal() / 2 / Math.tan(((FOV_DEGREES / 2) * Math.PI) / 180)) * 1.05) / zoom;
    const direction = new Vector3(
      Math.cos(orbit.elevation) * Math.sin(orbit.azimuth),
      Math.cos(orbit.elevation) * Math.cos(orbit.azimuth),
      Math.sin(orbit.elevation),
    );
    const cam = this.perspective;
    cam.aspect = rect.width / Math.max(1, rect.height);
    cam.near = Math.max(0.1, distance - this.diagonal());
    cam.far = distance + this.diagonal();
    cam.position.copy(centre).addScaledVector(direction, distance);
    cam.up.set(0, 0, 1);
    cam.lookAt(centre);
    cam.updateProjectionMatrix();
    cam.layers.disableAll();
    for (const view of SLICE_VIEWS) cam.layers.enable(LAYERS.plane[view]);
    cam.layers.enable(LAYERS.surfaces);
    const light = this.panels[panel].scene.getObjectByName('headlight') as DirectionalLight;
    light.position.copy(cam.position);
    light.target.position.copy(centre);
    light.target.updateMatrixWorld();
    return cam;
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
    this.panels.forEach((panel, index) => {
      panel.sync(this.requireLinks().stateOf(index), this.bounds, this.crosshair);
      for (const view of this.views) {
        const rect = this.cellRect(index, view);
        const glY = size.y - rect.y - rect.height;
        this.renderer.setViewport(rect.x, glY, rect.width, rect.height);
        this.renderer.setScissor(rect.x, glY, rect.width, rect.height);
        this.renderer.clear();
        if (view === '3d') panel.ensureSurfaces();
        const camera =
          view === '3d' ? this.setup3DCamera(index, rect) : this.setupSliceCamera(index, view, rect);
        this.renderer.render(panel.scene, camera);
      }
    });
    this.drawOverlay();
  }

  private drawOverlay(): void {
    const ctx = this.overlay.getContext('2d')!;
    const dpr = this.renderer.getPixelRatio();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.overlay.width, this.overlay.height);
    ctx.textBaseline = 'middle';
    this.panels.forEach((panel, index) => {
      for (const view of this.views) {
        const rect = this.cellRect(index, view);
        if (view !== '3d') {
          const { edges } = viewAxes(view, this.convention);
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
        ctx.fillText(view, rect.x + 4, rect.y + rect.height - 10);
      }
      const top = this.cellRect(index, this.views[0]);
      ctx.font = 'bold 12px sans-serif';
      ctx.fillStyle = '#ffffff';
      ctx.textAlign = 'left';
      const link = this.requireLinks().isLinked(index) ? '' : ' (unlinked)';
      ctx.fillText(panel.title + link, top.x + 4, TITLE_STRIP / 2);
    });
    const lines = [conventionNotice(this.convention), ...this.notices];
    ctx.font = '12px sans-serif';
    ctx.textAlign = 'right';
    lines.forEach((line, i) => {
      const y = this.canvas.clientHeight - 10 - (lines.length - 1 - i) * 16;
      ctx.fillStyle = 'rgba(0,0,0,0.6)';
      const w = ctx.measureText(line).width;
      ctx.fillRect(this.canvas.clientWidth - w - 10, y - 8, w + 8, 16);
      ctx.fillStyle = i === 0 ? '#ffd54a' : '#ff8a65';
      ctx.fillText(line, this.canvas.clientWidth - 6, y);
    });
  }

  /** The WebGL image and the overlay composed into one canvas (what the user sees). */
  composite(): HTMLCanvasElement {
    this.render();
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.drawImage(this.canvas, 0, 0);
    ctx.drawImage(this.overlay, 0, 0);
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
    const dpr = this.renderer.getPixelRatio();
    this.overlay.width = Math.round(width * dpr);
    this.overlay.height = Math.round(height * dpr);
    if (this.links) this.changed();
  }

  // ---- input ---------------------------------------------------------------------------------------

  private cellAt(x: number, y: number): { panel: number; view: ViewName } | null {
    for (let panel = 0; panel < this.panels.length; panel++) {
      for (const view of this.views) {
        const r = this.cellRect(panel, view);
        if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return { panel, view };
      }
    }
    return null;
  }

  private attachInput(): void {
    const el = this.overlay;
    let drag: {
      panel: number;
      view: ViewName;
      x: number;
      y: number;
      mode: 'cursor' | 'pan' | 'orbit';
    } | null = null;
    const local = (e: MouseEvent): [number, number] => {
      const r = el.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    el.addEventListener('contextmenu', (e) => e.preventDefault());
    el.addEventListener('pointerdown', (e) => {
      const [x, y] = local(e);
      const cell = this.cellAt(x, y);
      if (!cell || !this.links) return;
      el.setPointerCapture(e.pointerId);
      const mode = cell.view === '3d' ? 'orbit' : e.button === 0 && !e.shiftKey ? 'cursor' : 'pan';
      drag = { ...cell, x, y, mode };
      if (mode === 'cursor')
        this.setCursor(cell.panel, this.screenToWorld(cell.panel, cell.view as SliceViewName, x, y));
    });
    el.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const [x, y] = local(e);
      const { panel, view } = drag;
      if (drag.mode === 'orbit') this.orbit(panel, -(x - drag.x) * 0.01, (y - drag.y) * 0.01);
      else if (drag.mode === 'cursor')
        this.setCursor(panel, this.screenToWorld(panel, view as SliceViewName, x, y));
      else {
        const rect = this.cellRect(panel, view);
        const mmPerPixel = (this.sliceFrame(panel, view as SliceViewName, rect).halfHeight * 2) / rect.height;
        this.pan(panel, view as SliceViewName, -(x - drag.x) * mmPerPixel, (y - drag.y) * mmPerPixel);
      }
      drag.x = x;
      drag.y = y;
    });
    el.addEventListener('pointerup', () => (drag = null));
    el.addEventListener(
      'wheel',
      (e) => {
        const [x, y] = local(e);
        const cell = this.cellAt(x, y);
        if (!cell || !this.links) return;
        e.preventDefault();
        const direction = e.deltaY > 0 ? -1 : 1;
        if (cell.view === '3d' || e.ctrlKey) {
          this.setZoom(cell.panel, this.stateOf(cell.panel).zoom * (direction > 0 ? 1.1 : 1 / 1.1));
        } else this.moveSlice(cell.panel, cell.view, direction);
      },
      { passive: false },
    );
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
    this.disposePanels();
    this.renderer.dispose();
    this.canvas.remove();
    this.overlay.remove();
    this.listeners.clear();
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
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
