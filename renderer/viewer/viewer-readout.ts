import { applyAffine, invertAffine, type Vec3 } from './affine.js';
import type { ColourTable } from './colour-table.js';
import { viewAxes, type DisplayConvention, type SliceViewName } from './orientation.js';
import type { ViewerVolume } from './volume-data.js';

/** What is under the cursor, read from the volumes as loaded (full resolution even when shown downsampled). */
export interface CursorReadout {
  /** Image voxel (i, j, k) nearest the cursor; null outside the image. */
  voxel: Vec3 | null;
  /** Cursor position, world RAS+ mm. */
  world: Vec3;
  /** Image value of each modality at `voxel`. */
  intensities: { modality: string; value: number }[];
  /** Each panel's label at the cursor (its own voxel grid); null for a panel without labels. */
  labels: ({ value: number; name: string } | null)[];
}

/** A slice view's position as a slice number of the image: the voxel axis that follows the view's normal. */
export interface SliceIndex {
  axis: 0 | 1 | 2;
  /** 0-based voxel index along `axis`. */
  index: number;
  count: number;
}

/**
 * Voxel values and slice numbers at a world position, from the volumes as given (not as drawn, which may
 * be downsampled): the image with every modality and each panel's label map with its colour table.
 */
export class ViewerReadout {
  private image: ViewerVolume | null = null;
  private labels: { volume: ViewerVolume | null; table: ColourTable | null }[] = [];

  setVolumes(
    image: ViewerVolume,
    labels: { volume: ViewerVolume | null; table: ColourTable | null }[],
  ): void {
    this.image = image;
    this.labels = labels;
  }

  /** Modalities that arrive later replace the image (ComparisonViewer.addImageChannels). */
  setImage(image: ViewerVolume): void {
    this.image = image;
  }

  get source(): ViewerVolume {
    if (!this.image) throw new Error('ComparisonViewer: no volumes loaded yet (call setVolumes first)');
    return this.image;
  }

  /** Voxel index, world position, intensity per modality and each panel's label at `world`. */
  at(world: Vec3): CursorReadout {
    const image = this.source;
    const voxel = voxelAt(image, world);
    const intensities = image.header.channels.map((modality, c) => ({
      modality,
      value: voxel === null ? NaN : image.channels[c][voxelOffset(image, voxel)],
    }));
    const labels = this.labels.map(({ volume, table }) => {
      if (!volume) return null;
      const at = voxelAt(volume, world);
      const value = at === null ? 0 : volume.channels[0][voxelOffset(volume, at)];
      const entry = table?.labels.find((l) => l.value === value);
      return { value, name: entry?.name ?? (value === 0 ? 'background' : `label ${value}`) };
    });
    return { voxel, world, intensities, labels };
  }

  /** The image voxel (i, j, k) at `world`, rounded; may lie outside the grid near the edges. */
  voxel(world: Vec3): Vec3 {
    return applyAffine(invertAffine(this.source.header.affine), world).map(Math.round) as Vec3;
  }

  /** World length of one image voxel step along world axis `axis`. */
  step(axis: number): number {
    const inverse = invertAffine(this.source.header.affine);
    return 1 / Math.max(Math.abs(inverse[axis]), Math.abs(inverse[4 + axis]), Math.abs(inverse[8 + axis]));
  }

  /** The slice `view` shows at `world`, as an index along the image voxel axis closest to the view's normal. */
  sliceIndex(world: Vec3, view: SliceViewName, convention: DisplayConvention): SliceIndex {
    const image = this.source;
    const normal = viewAxes(view, convention).normalAxis;
    const inverse = invertAffine(image.header.affine);
    const axis = ([0, 1, 2] as const).reduce((best, a) =>
      Math.abs(inverse[a * 4 + normal]) > Math.abs(inverse[best * 4 + normal]) ? a : best,
    );
    const voxel = applyAffine(inverse, world);
    const count = image.header.dims[axis];
    return { axis, index: Math.min(count - 1, Math.max(0, Math.round(voxel[axis]))), count };
  }

  /** `world` moved to slice `index` of `view` (sliceIndex), the in-plane position kept. */
  atSlice(world: Vec3, view: SliceViewName, convention: DisplayConvention, index: number): Vec3 {
    const image = this.source;
    const { axis, count } = this.sliceIndex(world, view, convention);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new Error(`setSliceIndex: ${view} slice ${index} is outside 0–${count - 1}`);
    }
    const voxel = applyAffine(invertAffine(image.header.affine), world);
    voxel[axis] = index;
    const normal = viewAxes(view, convention).normalAxis;
    const moved = [...world] as Vec3;
    moved[normal] = applyAffine(image.header.affine, voxel)[normal];
    return moved;
  }
}

/** The voxel of `volume` nearest a world point, or null outside its grid. */
function voxelAt(volume: ViewerVolume, world: Vec3): Vec3 | null {
  const voxel = applyAffine(invertAffine(volume.header.affine), world).map(Math.round) as Vec3;
  return voxel.every((v, a) => v >= 0 && v < volume.header.dims[a]) ? voxel : null;
}

function voxelOffset(volume: ViewerVolume, [i, j, k]: Vec3): number {
  const [ni, nj] = volume.header.dims;
  return i + ni * (j + nj * k);
}
