/** BraTS evaluation regions over the raw labels 0 (background), 1 (necrotic core), 2 (edema), 4 (enhancing). */

export const BRATS_LABELS = [0, 1, 2, 4] as const;
/** Network outputs: one per raw label value 0..4 (3 is never used). */
export const BRATS_CLASSES = 5;

export interface BratsRegion {
  name: 'ET' | 'TC' | 'WT';
  title: string;
  contains(label: number): boolean;
}

export const BRATS_REGIONS: readonly BratsRegion[] = [
  { name: 'ET', title: 'enhancing tumour', contains: (label) => label === 4 },
  { name: 'TC', title: 'tumour core', contains: (label) => label === 1 || label === 4 },
  { name: 'WT', title: 'whole tumour', contains: (label) => label > 0 && label !== 255 },
];

/** 1 where the voxel's label lies in the region. */
export function regionMask(labels: ArrayLike<number>, region: BratsRegion): Uint8Array {
  const out = new Uint8Array(labels.length);
  for (let v = 0; v < labels.length; v++) out[v] = region.contains(labels[v]) ? 1 : 0;
  return out;
}
