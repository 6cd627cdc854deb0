import {
  AmbientLight,
  BufferAttribute,
  BufferGeometry,
  DataTexture,
  DirectionalLight,
  DoubleSide,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  Object3D,
  Scene,
  Vector3,
} from 'three';
import type { Vec3 } from './affine.js';
import { colourLookup, type ColourTable, type LabelDisplay } from './colour-table.js';
import { LabelSurfaces } from './label-surfaces.js';
import { SLICE_VIEWS, viewAxes, type DisplayConvention, type SliceViewName } from './orientation.js';
import { lookupTexture, SliceMaterial } from './slice-material.js';
import type { ViewState } from './view-links.js';
import type { ViewerVolume } from './volume-data.js';
import { VolumeTexture } from './volume-texture.js';

/** three.js layers: a slice view's camera sees its plane and crosshair; the 3D camera sees planes + surfaces. */
export const LAYERS = {
  plane: { axial: 1, coronal: 2, sagittal: 3 },
  surfaces: 4,
  crosshair: { axial: 5, coronal: 6, sagittal: 7 },
} as const;

export interface WorldBounds {
  min: Vec3;
  max: Vec3;
}

/** The display settings of one label set (looked up by colour table name). */
export interface LabelSettings {
  display: ReadonlyMap<number, LabelDisplay>;
  outline: boolean;
}

/**
 * One column of the comparison: the shared image with one label map (ground truth, a prediction, or the
 * disagreement codes) as three slice planes, a crosshair per slice view and the label surfaces.
 */
export class ViewerPanel {
  readonly scene = new Scene();
  private readonly planes = new Map<SliceViewName, Mesh<BufferGeometry, SliceMaterial>>();
  private readonly crosshairs = new Map<SliceViewName, LineSegments<BufferGeometry, LineBasicMaterial>>();
  private readonly labelTexture: VolumeTexture | null;
  private readonly lut: DataTexture;
  private readonly headlight = new DirectionalLight(0xffffff, 2.2);
  private surfaces: LabelSurfaces | null = null;
  private settings: LabelSettings | null = null;

  constructor(
    readonly title: string,
    image: VolumeTexture,
    readonly labels: ViewerVolume | null,
    readonly table: ColourTable | null,
  ) {
    if (labels && !table) throw new Error(`ViewerPanel "${title}": a label map needs a colour table`);
    this.labelTexture = labels ? new VolumeTexture(labels, 0, { linear: false }) : null;
    this.lut = lookupTexture(new Uint8Array(256 * 4));
    for (const view of SLICE_VIEWS) {
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(new Float32Array(12), 3));
      geometry.setIndex([0, 1, 2, 0, 2, 3]);
      const material = new SliceMaterial();
      material.side = DoubleSide; // each slice view looks at its plane from its own side
      material.setImage(image);
      material.setLabels(this.labelTexture, this.lut);
      const plane = new Mesh(geometry, material);
      plane.frustumCulled = false;
      plane.layers.set(LAYERS.plane[view]);
      this.planes.set(view, plane);
      this.scene.add(plane);

      const lineGeometry = new BufferGeometry();
      lineGeometry.setAttribute('position', new BufferAttribute(new Float32Array(12), 3));
      const crosshair = new LineSegments(
        lineGeometry,
        new LineBasicMaterial({ color: 0x33ddff, depthTest: false, transparent: true, opacity: 0.8 }),
      );
      crosshair.frustumCulled = false;
      crosshair.renderOrder = 1;
      crosshair.layers.set(LAYERS.crosshair[view]);
      this.crosshairs.set(view, crosshair);
      this.scene.add(crosshair);
    }
    // A light at the 3D camera (placeHeadlight) plus ambient, so surfaces read from every side.
    this.headlight.layers.enableAll();
    this.headlight.target = new Object3D();
    const ambient = new AmbientLight(0xffffff, 0.8);
    ambient.layers.enableAll();
    this.scene.add(this.headlight, this.headlight.target, ambient);
  }

  placeHeadlight(position: Vector3, target: Vector3): void {
    this.headlight.position.copy(position);
    this.headlight.target.position.copy(target);
    this.headlight.target.updateMatrixWorld();
  }

  setImage(image: VolumeTexture): void {
    for (const plane of this.planes.values()) plane.material.setImage(image);
  }

  setWindow(low: number, high: number): void {
    for (const plane of this.planes.values()) plane.material.setWindow(low, high);
  }

  setLabelSettings(settings: LabelSettings, convention: DisplayConvention): void {
    if (!this.table || !this.labelTexture) return;
    (this.lut.image.data as Uint8Array).set(colourLookup(this.table, settings.display));
    this.lut.needsUpdate = true;
    this.settings = settings;
    this.surfaces?.setDisplay(settings.display);
    for (const view of SLICE_VIEWS) {
      const axes = viewAxes(view, convention);
      this.planes
        .get(view)!
        .material.setOutline(settings.outline, this.voxelStep(axes.right), this.voxelStep(axes.up));
    }
  }

  /** Whether the label surfaces have been extracted (only a drawn 3D view does: ensureSurfaces). */
  get hasSurfaces(): boolean {
    return this.surfaces !== null;
  }

  /**
   * Builds the label surfaces the first time a 3D view needs them: surface extraction costs far more
   * than the slices, and layouts without a 3D view never pay it.
   */
  ensureSurfaces(): void {
    if (this.surfaces || !this.labels || !this.table) return;
    this.surfaces = new LabelSurfaces(this.labels, this.table, LAYERS.surfaces);
    this.surfaces.setDisplay(this.settings?.display ?? new Map());
    this.scene.add(this.surfaces);
  }

  /** World step along `direction` that moves exactly one label voxel along the most-changing voxel axis. */
  private voxelStep(direction: Vec3): Vec3 {
    const w2v = this.labelTexture!.worldToVoxel.elements; // column-major
    const delta = [0, 1, 2].map(
      (r) => w2v[r] * direction[0] + w2v[4 + r] * direction[1] + w2v[8 + r] * direction[2],
    );
    const voxelsPerMm = Math.max(...delta.map(Math.abs));
    return direction.map((c) => c / voxelsPerMm) as Vec3;
  }

  /** Places the slice planes and crosshairs through the cursor, spanning the volume's world bounds. */
  sync(state: Readonly<ViewState>, bounds: WorldBounds, showCrosshair: boolean): void {
    const { min, max } = bounds;
    for (const view of SLICE_VIEWS) {
      const n = viewAxes(view, 'radiological').normalAxis;
      const [a, b] = [0, 1, 2].filter((axis) => axis !== n);
      const corners = [
        [min[a], min[b]],
        [max[a], min[b]],
        [max[a], max[b]],
        [min[a], max[b]],
      ];
      const positions = this.planes.get(view)!.geometry.getAttribute('position') as BufferAttribute;
      corners.forEach(([ca, cb], index) => {
        const p = [0, 0, 0];
        p[n] = state.cursor[n];
        p[a] = ca;
        p[b] = cb;
        positions.setXYZ(index, p[0], p[1], p[2]);
      });
      positions.needsUpdate = true;

      const crosshair = this.crosshairs.get(view)!;
      crosshair.visible = showCrosshair;
      const line = crosshair.geometry.getAttribute('position') as BufferAttribute;
      [a, b].forEach((axis, lineIndex) => {
        for (const [end, value] of [
          [0, min[axis]],
          [1, max[axis]],
        ]) {
          const p: Vec3 = [...state.cursor];
          p[axis] = value;
          line.setXYZ(lineIndex * 2 + end, p[0], p[1], p[2]);
        }
      });
      line.needsUpdate = true;
    }
  }

  dispose(): void {
    for (const plane of this.planes.values()) {
      plane.geometry.dispose();
      plane.material.dispose();
    }
    for (const crosshair of this.crosshairs.values()) {
      crosshair.geometry.dispose();
      crosshair.material.dispose();
    }
    this.surfaces?.dispose();
    this.labelTexture?.dispose();
    this.lut.dispose();
    this.scene.clear();
  }
}
