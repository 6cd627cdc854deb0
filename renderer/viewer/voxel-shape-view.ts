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

export interface VoxelShape {
  /** Grid size (i, j, k); i fastest in the label arrays. */
  dims: [number, number, number];
  truth: ArrayLike<number>;
  prediction: ArrayLike<number> | null;
  table: ColourTable;
  /** Label of empty voxels (ShapeNet: 255). */
  emptyLabel: number;
}

/** Brightness per box face (+x, −x, +y, −y, +z, −z) so the shape reads in 3D without lights; +z keeps exact colours. */
const FACE_SHADE = [0.8, 0.8, 0.65, 0.65, 1, 0.5];
const ERROR_COLOUR = new Color(1, 0, 0);
const CORRECT_COLOUR = new Color().setRGB(0.55, 0.55, 0.55, 'srgb');

function shadedBox(): BoxGeometry {
  const box = new BoxGeometry(0.92, 0.92, 0.92);
  // BoxGeometry lists its faces in the order +x, −x, +y, −y, +z, −z, four vertices each.
  const colours = new Float32Array(box.getAttribute('position').count * 3);
  for (let v = 0; v < colours.length / 3; v++) colours.fill(FACE_SHADE[Math.floor(v / 4)], v * 3, v * 3 + 3);
  box.setAttribute('color', new BufferAttribute(colours, 3));
  return box;
}

/**
 * ShapeNet part segmentation as voxels: ground truth and prediction side by side, one InstancedMesh per
 * grid (never one object per voxel), part colours from the table, one orbit camera for both.
 */
export class VoxelShapeView {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: WebGLRenderer;
  private readonly camera = new PerspectiveCamera(35, 1, 0.1, 1000);
  private readonly geometry = shadedBox();
  private readonly material = new MeshBasicMaterial({ vertexColors: true });
  private readonly scenes: [Scene, Scene] = [new Scene(), new Scene()];
  private meshes: InstancedMesh[] = [];
  private shape: VoxelShape | null = null;
  private readonly resizeObserver: ResizeObserver;
  private dragging: { x: number; y: number } | null = null;
  /** Radius of the occupied voxels' bounding sphere: the camera frames the shape, not the whole grid. */
  private radius = 1;
  azimuth = Math.PI / 5;
  elevation = 0.6;
  highlightErrors = false;

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
      this.dragging = { x: e.clientX, y: e.clientY };
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!this.dragging) return;
      this.azimuth -= (e.clientX - this.dragging.x) * 0.01;
      this.elevation = Math.min(1.5, Math.max(-1.5, this.elevation + (e.clientY - this.dragging.y) * 0.01));
      this.dragging = { x: e.clientX, y: e.clientY };
      this.render();
    });
    this.canvas.addEventListener('pointerup', () => (this.dragging = null));
  }

  setShape(shape: VoxelShape): void {
    const voxels = shape.dims[0] * shape.dims[1] * shape.dims[2];
    if (shape.truth.length !== voxels || (shape.prediction && shape.prediction.length !== voxels)) {
      throw new Error(
        `VoxelShapeView: labels must have ${voxels} voxels (${shape.dims.join('×')}), got truth ${shape.truth.length}` +
          (shape.prediction ? `, prediction ${shape.prediction.length}` : ''),
      );
    }
    this.shape = shape;
    this.rebuild();
  }

  setHighlightErrors(on: boolean): void {
    this.highlightErrors = on;
    this.rebuild();
  }

  private rebuild(): void {
    this.disposeMeshes();
    const shape = this.shape;
    if (!shape) return;
    const colours = new Map(
      shape.table.labels.map((l) => [
        l.value,
        new Color().setRGB(l.colour[0] / 255, l.colour[1] / 255, l.colour[2] / 255, 'srgb'),
      ]),
    );
    const [ni, nj] = shape.dims;
    const voxelOf = (v: number): [number, number, number] => [
      v % ni,
      Math.floor(v / ni) % nj,
      Math.floor(v / (ni * nj)),
    ];
    // ShapeNet predictions are made on the truth's occupied voxels only: show those.
    const occupied: number[] = [];
    const lo = new Vector3(Infinity, Infinity, Infinity);
    const hi = new Vector3(-Infinity, -Infinity, -Infinity);
    for (let v = 0; v < shape.truth.length; v++) {
      if (shape.truth[v] === shape.emptyLabel) continue;
      occupied.push(v);
      const p = new Vector3(...voxelOf(v));
      lo.min(p);
      hi.max(p);
    }
    const centre = occupied.length ? lo.clone().add(hi).multiplyScalar(0.5) : new Vector3();
    this.radius = occupied.length ? hi.clone().sub(lo).addScalar(1).length() / 2 : 1;
    const grids = [shape.truth, shape.prediction];
    grids.forEach((labels, side) => {
      if (!labels) return;
      const mesh = new InstancedMesh(this.geometry, this.material, occupied.length);
      const m = new Matrix4();
      occupied.forEach((v, n) => {
        const [i, j, k] = voxelOf(v);
        mesh.setMatrixAt(n, m.makeTranslation(i - centre.x, j - centre.y, k - centre.z));
        const wrong = labels[v] !== shape.truth[v];
        const colour =
          side === 1 && this.highlightErrors
            ? wrong
              ? ERROR_COLOUR
              : CORRECT_COLOUR
            : (colours.get(labels[v]) ?? CORRECT_COLOUR);
        mesh.setColorAt(n, colour);
      });
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
      this.scenes[side].add(mesh);
      this.meshes.push(mesh);
    });
    this.render();
  }

  /** Left half: ground truth; right half: prediction (CSS pixels). */
  viewportRect(side: 0 | 1): Rect {
    const w = this.canvas.clientWidth;
    const half = Math.floor(w / 2);
    return {
      x: side === 0 ? 0 : half + 1,
      y: 0,
      width: side === 0 ? half : w - half - 1,
      height: this.canvas.clientHeight,
    };
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
    for (const side of [0, 1] as const) {
      const r = this.viewportRect(side);
      const glY = size.y - r.y - r.height;
      this.renderer.setViewport(r.x, glY, r.width, r.height);
      this.renderer.setScissor(r.x, glY, r.width, r.height);
      this.renderer.clear();
      this.camera.aspect = r.width / Math.max(1, r.height);
      this.camera.position.set(
        distance * Math.cos(this.elevation) * Math.sin(this.azimuth),
        -distance * Math.cos(this.elevation) * Math.cos(this.azimuth),
        distance * Math.sin(this.elevation),
      );
      this.camera.up.set(0, 0, 1);
      this.camera.lookAt(0, 0, 0);
      this.camera.near = Math.max(0.1, distance - radius * 2);
      this.camera.far = distance + radius * 2;
      this.camera.updateProjectionMatrix();
      this.renderer.render(this.scenes[side], this.camera);
    }
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
