import {
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  Group,
  Matrix4,
  Mesh,
  MeshLambertMaterial,
} from 'three';
import type { ColourTable, LabelDisplay } from './colour-table.js';
import { labelSurface } from './surface-nets.js';
import type { ViewerVolume } from './volume-data.js';

/**
 * One surface-nets mesh per label of a label map, placed in world space by the volume's affine.
 * Double-sided because a mirroring affine (negative determinant) turns the triangles' winding inside out.
 */
export class LabelSurfaces extends Group {
  private readonly meshes = new Map<number, Mesh<BufferGeometry, MeshLambertMaterial>>();

  /** `layer`: the three.js layer the 3D view's camera enables (slice views leave it off). */
  constructor(volume: ViewerVolume, table: ColourTable, layer: number) {
    super();
    const labels = volume.channels[0];
    if (labels instanceof Float32Array) {
      throw new Error(`LabelSurfaces: "${volume.header.title}" is float32; label maps must be integer`);
    }
    this.matrixAutoUpdate = false;
    this.matrix.copy(new Matrix4().fromArray(volume.header.affine).transpose());
    for (const entry of table.labels) {
      const surface = labelSurface(labels, volume.header.dims, entry.value);
      if (surface.indices.length === 0) continue;
      const geometry = new BufferGeometry();
      geometry.setAttribute('position', new BufferAttribute(surface.positions, 3));
      geometry.setIndex(new BufferAttribute(surface.indices, 1));
      geometry.computeVertexNormals();
      const material = new MeshLambertMaterial({ side: DoubleSide });
      material.color.setRGB(entry.colour[0] / 255, entry.colour[1] / 255, entry.colour[2] / 255, 'srgb');
      const mesh = new Mesh(geometry, material);
      mesh.layers.set(layer);
      this.meshes.set(entry.value, mesh);
      this.add(mesh);
    }
  }

  /** Labels that have a surface (present in the volume and in the table). */
  get labels(): number[] {
    return [...this.meshes.keys()];
  }

  setDisplay(display: ReadonlyMap<number, LabelDisplay>): void {
    for (const [value, mesh] of this.meshes) {
      const d = display.get(value) ?? { visible: true, opacity: 1 };
      mesh.visible = d.visible && d.opacity > 0;
      mesh.material.opacity = d.opacity;
      mesh.material.transparent = d.opacity < 1;
      mesh.material.depthWrite = d.opacity >= 1;
    }
  }

  override dispose(): void {
    for (const mesh of this.meshes.values()) {
      mesh.geometry.dispose();
      mesh.material.dispose();
    }
    this.meshes.clear();
    this.clear();
  }
}
