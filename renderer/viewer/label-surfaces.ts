import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  Group,
  Matrix4,
  Mesh,
  MeshLambertMaterial,
} from 'three';
import type { ColourTable, LabelDisplay, LabelEntry } from './colour-table.js';
import type { LabelArray } from './disagreement.js';
import { labelSurface } from './surface-nets.js';
import type { ViewerVolume } from './volume-data.js';

/**
 * Surface-nets meshes of a label map's labels, placed in world space by the volume's affine. A label's
 * mesh is extracted the first time it is shown (hidden labels, often the big background classes, cost
 * nothing). Double-sided because a mirroring affine (negative determinant) turns the winding inside out.
 */
export class LabelSurfaces extends Group {
  private readonly meshes = new Map<number, Mesh<BufferGeometry, MeshLambertMaterial> | null>();
  private readonly labels: LabelArray;

  /** `layer`: the three.js layer the 3D view's camera enables (slice views leave it off). */
  constructor(
    private readonly volume: ViewerVolume,
    private readonly table: ColourTable,
    private readonly layer: number,
  ) {
    super();
    const labels = volume.channels[0];
    if (labels instanceof Float32Array) {
      throw new Error(`LabelSurfaces: "${volume.header.title}" is float32; label maps must be integer`);
    }
    this.labels = labels;
    this.matrixAutoUpdate = false;
    this.matrix.copy(new Matrix4().fromArray(volume.header.affine).transpose());
  }

  /** The label's mesh, extracted on first use; null when the volume does not contain the label. */
  private meshFor(entry: LabelEntry): Mesh<BufferGeometry, MeshLambertMaterial> | null {
    if (this.meshes.has(entry.value)) return this.meshes.get(entry.value)!;
    const surface = labelSurface(this.labels, this.volume.header.dims, entry.value);
    let mesh: Mesh<BufferGeometry, MeshLambertMaterial> | null = null;
    if (surface.indices.length > 0) {
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(surface.positions, 3));
      geometry.setIndex(new BufferAttribute(surface.indices, 1));
      geometry.computeVertexNormals();
      const material = new MeshLambertMaterial({ side: DoubleSide });
      material.color.setRGB(entry.colour[0] / 255, entry.colour[1] / 255, entry.colour[2] / 255, 'srgb');
      mesh = new Mesh(geometry, material);
      mesh.layers.set(this.layer);
      this.add(mesh);
    }
    this.meshes.set(entry.value, mesh);
    return mesh;
  }

  setDisplay(display: ReadonlyMap<number, LabelDisplay>): void {
    for (const entry of this.table.labels) {
      const d = display.get(entry.value) ?? { visible: true, opacity: 1 };
      const shown = d.visible && d.opacity > 0;
      const mesh = shown ? this.meshFor(entry) : this.meshes.get(entry.value);
      if (!mesh) continue;
      mesh.visible = shown;
      mesh.material.opacity = d.opacity;
      mesh.material.transparent = d.opacity < 1;
      mesh.material.depthWrite = d.opacity >= 1;
    }
  }

  override dispose(): void {
    for (const mesh of this.meshes.values()) {
      mesh?.geometry.dispose();
      mesh?.material.dispose();
    }
    this.meshes.clear();
    this.clear();
  }
}
