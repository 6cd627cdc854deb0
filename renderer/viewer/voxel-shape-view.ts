import {
  BoxGeometry,
  BufferAttribute,
  Color,
  InstancedMesh,
  Matrix4,
  MeshBasicMaterial,
  PerspectiveCamera,
  Scene,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import type { ColourTable } from './colour-table.js';
import type { Rect } from './comparison-viewer.js';
import { readCanvasRegion } from './canvas-readback.js';

/** One panel: a label per voxel coloured by its table (a value the table lacks is grey). */
export interface VoxelPanel {
  labels: ArrayLike<number>;
  table: ColourTable;
  /** The voxels errors-only mode keeps (non-zero); absent: the panel keeps all of them. */
  errors?: ArrayLike<number>;
}

export interface VoxelShape {
  /** Grid size (i, j, k); i fastest in the label arrays. */
  dims: [number, number, number];
  /** The voxels drawn are those not emptyLabel here (ShapeNet: the truth; 255 = empty). */
  occupancy: ArrayLike<number>;
  emptyLabel: number;
  /** Side by side, left to right. */
  panels: VoxelPanel[];
}

/** An orbit around the shape's centre, z up. */
export interface Orbit {
  azimuth: number;
  elevation: number;
}

/** Brightness per box face (+x, −x, +y, −y, +z, −z) so the shape reads in 3D without lights; +z keeps exact colours. */
const FACE_SHADE = [0.8, 0.8, 0.65, 0.65, 1, 0.5];
const UNLISTED_COLOUR = new Color().setRGB(0.55, 0.55, 0.55, 'srgb');

function shadedBox(): BoxGeometry {
  const box = new BoxGeometry(0.92, 0.92, 0.92);
  // BoxGeometry lists its faces in the order +x, −x, +y, −y, +z, −z, four vertices each.
  const colours = new Float32Array(box.getAttribute('position').count * 3);
  for (let v = 0; v < colours.length / 3; v++) colours.fill(FACE_SHADE[Math.floor(v / 4)], v * 3, v * 3 + 3);
  box.setAttribute('color', new BufferAttribute(colours, 3));
  return box;
}

/**
 * ShapeNet part segmentation as voxels: panels side by side in one canvas (truth, predictions,
 * disagreement), one InstancedMesh per panel (never one object per voxel), colours from each panel's
 * table. Each panel has its own orbit; while linked (the default) dragging any panel turns them all.
 */
export class VoxelShapeView {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly camera = new PerspectiveCamera(35, 1, 0.1, 1000);
  private readonly geometry = shadedBox();
  private readonly material = new MeshBasicMaterial({ vertexColors: true });
  private scenes: Scene[] = [];
  private meshes: InstancedMesh[] = [];
  /** Per panel: instances of the voxels errors-only mode keeps (the first ones), and of all. */
  private instanceCounts: { errors: number; all: number }[] = [];
  private shape: VoxelShape | null = null;
  private readonly resizeObserver: ResizeObserver;
  private dragging: { x: number; y: number; panel: number } | null = null;
  /** Radius of the occupied voxels' bounding sphere: the camera frames the shape, not the whole grid. */
  private radius = 1;
  private lastTurned = 0;
  /** One orbit per panel. */
  orbits: Orbit[] = [];
  linked = true;
  errorsOnly = false;

  constructor(private readonly container: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.style.width = '100%';
    this.canvas.style.height = '100%';
    this.canvas.style.touchAction = 'none';
    container.append(this.canvas);
    this.renderer = new WebGLRenderer({ canvas: this.canvas, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(window.devicePixelRatio || 1);
    this.renderer.autoClear = false;
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
    this.canvas.addEventListener('pointerdown', (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.dragging = { x: e.clientX, y: e.clientY, panel: this.panelAt(e.offsetX) };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.dragging) return;
      this.orbit(this.dragging.panel, e.clientX - this.dragging.x, e.clientY - this.dragging.y);
      this.dragging = { ...this.dragging, x: e.clientX, y: e.clientY };
    });
    this.canvas.addEventListener('pointerup', () => (this.dragging = null));
  }

  setShape(shape: VoxelShape): void {
    const voxels = shape.dims[0] * shape.dims[1] * shape.dims[2];
    const arrays = [
      shape.occupancy,
      ...shape.panels.flatMap((p) => (p.errors ? [p.labels, p.errors] : [p.labels])),
    ];
    const wrong = arrays.find((a) => a.length !== voxels);
    if (wrong) {
      throw new Error(
        `VoxelShapeView: every label array must have ${voxels} voxels (${shape.dims.join('×')}), one has ${wrong.length}`,
      );
    }
    const first = this.orbits[0] ?? { azimuth: Math.PI / 5, elevation: 0.6 };
    this.orbits = shape.panels.map((_, p) => this.orbits[p] ?? { ...first });
    this.shape = shape;
    this.rebuild();
  }

  /** Errors-only: each panel draws only the voxels its `errors` marks (their instances come first). */
  setErrorsOnly(on: boolean): void {
    this.errorsOnly = on;
    this.meshes.forEach((mesh, p) => (mesh.count = this.shownCount(p)));
    this.render();
  }

  private shownCount(panel: number): number {
    const { errors, all } = this.instanceCounts[panel];
    return this.errorsOnly ? errors : all;
  }

  /** Linking again gives every panel the orbit of the one turned last. */
  setLinked(on: boolean): void {
    this.linked = on;
    if (on) this.orbits = this.orbits.map(() => ({ ...this.orbits[this.lastTurned] }));
    this.render();
  }

  /** Turns panel `panel` (all panels while linked) by a drag of dx, dy CSS pixels. */
  orbit(panel: number, dx: number, dy: number): void {
    const turn = (o: Orbit): Orbit => ({
      azimuth: o.azimuth - dx * 0.01,
      elevation: Math.min(1.5, Math.max(-1.5, o.elevation + dy * 0.01)),
    });
    this.orbits = this.orbits.map((o, p) => (this.linked || p === panel ? turn(o) : o));
    this.lastTurned = panel;
    this.render();
  }

  /** Voxels panel `panel` draws now. */
  drawnVoxels(panel: number): number {
    return this.meshes[panel]?.count ?? 0;
  }

  private rebuild(): void {
    this.disposeMeshes();
    const shape = this.shape;
    if (!shape) return;
    const [ni, nj] = shape.dims;
    const voxelOf = (v: number): [number, number, number] => [
      v % ni,
      Math.floor(v / ni) % nj,
      Math.floor(v / (ni * nj)),
    ];
    const occupied: number[] = [];
    const lo = new Vector3(Infinity, Infinity, Infinity);
    const hi = new Vector3(-Infinity, -Infinity, -Infinity);
    for (let v = 0; v < shape.occupancy.length; v++) {
      if (shape.occupancy[v] === shape.emptyLabel) continue;
      occupied.push(v);
      const p = new Vector3(...voxelOf(v));
      lo.min(p);
      hi.max(p);
    }
    // Framed on every occupied voxel, so errors-only mode keeps the shape where it was.
    const centre = occupied.length ? lo.clone().add(hi).multiplyScalar(0.5) : new Vector3();
    this.radius = occupied.length ? hi.clone().sub(lo).addScalar(1).length() / 2 : 1;
    this.scenes = shape.panels.map((panel) => {
      const colours = new Map(
        panel.table.labels.map((l) => [
          l.value,
          new Color().setRGB(l.colour[0] / 255, l.colour[1] / 255, l.colour[2] / 255, 'srgb'),
        ]),
      );
      const errors = panel.errors;
      const wrong = errors ? occupied.filter((v) => errors[v] !== 0) : occupied;
      const ordered = errors ? [...wrong, ...occupied.filter((v) => errors[v] === 0)] : occupied;
      const mesh = new InstancedMesh(this.geometry, this.material, Math.max(1, ordered.length));
      this.instanceCounts.push({ errors: wrong.length, all: ordered.length });
      mesh.count = this.shownCount(this.instanceCounts.length - 1);
      const m = new Matrix4();
      ordered.forEach((v, n) => {
        const [i, j, k] = voxelOf(v);
        mesh.setMatrixAt(n, m.makeTranslation(i - centre.x, j - centre.y, k - centre.z));
        mesh.setColorAt(n, colours.get(panel.labels[v]) ?? UNLISTED_COLOUR);
      });
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
      this.meshes.push(mesh);
      return new Scene().add(mesh);
    });
    this.render();
  }

  /** Panel `panel`'s viewport (CSS pixels): equal columns, one pixel apart. */
  viewportRect(panel: number): Rect {
    const n = Math.max(1, this.shape?.panels.length ?? 1);
    const w = this.canvas.clientWidth;
    const x0 = Math.round((panel * w) / n);
    const x1 = Math.round(((panel + 1) * w) / n);
    return {
      x: x0 + (panel > 0 ? 1 : 0),
      y: 0,
      width: x1 - x0 - (panel > 0 ? 1 : 0),
      height: this.canvas.clientHeight,
    };
  }

  private panelAt(x: number): number {
    const n = Math.max(1, this.shape?.panels.length ?? 1);
    return Math.min(n - 1, Math.max(0, Math.floor((x * n) / Math.max(1, this.canvas.clientWidth))));
  }

  render(): void {
    const size = this.renderer.getSize(new Vector2());
    this.renderer.setScissorTest(false);
    this.renderer.setClearColor(0x202020, 1);
    this.renderer.clear();
    if (!this.shape) return;
    this.renderer.setScissorTest(true);
    this.renderer.setClearColor(0x000000, 1);
    const radius = this.radius;
    const distance = (radius / Math.tan((17.5 * Math.PI) / 180)) * 1.05;
    this.scenes.forEach((scene, panel) => {
      const r = this.viewportRect(panel);
      const { azimuth, elevation } = this.orbits[panel];
      const glY = size.y - r.y - r.height;
      this.renderer.setViewport(r.x, glY, r.width, r.height);
      this.renderer.setScissor(r.x, glY, r.width, r.height);
      this.renderer.clear();
      this.camera.aspect = r.width / Math.max(1, r.height);
      this.camera.position.set(
        distance * Math.cos(elevation) * Math.sin(azimuth),
        -distance * Math.cos(elevation) * Math.cos(azimuth),
        distance * Math.sin(elevation),
      );
      this.camera.up.set(0, 0, 1);
      this.camera.lookAt(0, 0, 0);
      this.camera.near = Math.max(0.1, distance - radius * 2);
      this.camera.far = distance + radius * 2;
      this.camera.updateProjectionMatrix();
      this.renderer.render(scene, this.camera);
    });
  }

  /** RGBA bytes of a CSS-pixel rectangle, rows top to bottom. */
  readPixels(rect: Rect): Uint8ClampedArray {
    this.render();
    return readCanvasRegion(this.canvas, rect, this.renderer.getPixelRatio(), { smoothing: true });
  }

  private resize(): void {
    this.renderer.setSize(
      Math.max(1, this.container.clientWidth),
      Math.max(1, this.container.clientHeight),
      false,
    );
    this.render();
  }

  private disposeMeshes(): void {
    for (const mesh of this.meshes) {
      mesh.removeFromParent();
      mesh.dispose();
    }
    this.meshes = [];
    this.instanceCounts = [];
  }

  dispose(): void {
    this.resizeObserver.disconnect();
    this.disposeMeshes();
    this.geometry.dispose();
    this.material.dispose();
    this.renderer.dispose();
    this.canvas.remove();
  }
}
