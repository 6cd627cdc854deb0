import type { Vec3 } from './affine.js';

/** The three orthogonal slice views, named by the world plane they show. */
export type SliceViewName = 'axial' | 'coronal' | 'sagittal';
export const SLICE_VIEWS: readonly SliceViewName[] = ['axial', 'coronal', 'sagittal'];

/**
 * Radiological: the patient's right is on the screen's left (as if facing the patient / looking up from
 * the feet). Neurological: the patient's right is on the screen's right (looking from behind / above).
 */
export type DisplayConvention = 'radiological' | 'neurological';

export interface ViewAxes {
  /** World (RAS+) direction that points to the screen's right. */
  right: Vec3;
  /** World direction that points up on the screen. */
  up: Vec3;
  /** World direction the slice moves along (the plane normal; index of the world axis it follows). */
  normalAxis: 0 | 1 | 2;
  /** Patient direction letters at the screen edges. */
  edges: { left: string; right: string; top: string; bottom: string };
}

/**
 * Screen axes of each view in world RAS+ coordinates. Sagittal views show anterior on the left in both
 * conventions (the usual clinical display; the convention only concerns left/right).
 */
export function viewAxes(view: SliceViewName, convention: DisplayConvention): ViewAxes {
  const rightIsPatientLeft = convention === 'radiological';
  const lr = rightIsPatientLeft
    ? { right: [-1, 0, 0] as Vec3, edges: { left: 'R', right: 'L' } }
    : { right: [1, 0, 0] as Vec3, edges: { left: 'L', right: 'R' } };
  switch (view) {
    case 'axial':
      return { right: lr.right, up: [0, 1, 0], normalAxis: 2, edges: { ...lr.edges, top: 'A', bottom: 'P' } };
    case 'coronal':
      return { right: lr.right, up: [0, 0, 1], normalAxis: 1, edges: { ...lr.edges, top: 'S', bottom: 'I' } };
    case 'sagittal':
      return {
        right: [0, -1, 0],
        up: [0, 0, 1],
        normalAxis: 0,
        edges: { left: 'A', right: 'P', top: 'S', bottom: 'I' },
      };
  }
}

/** One sentence for the screen, so nobody has to guess the convention. */
export function conventionNotice(convention: DisplayConvention): string {
  return convention === 'radiological'
    ? "Radiological convention: patient's right on screen left"
    : "Neurological convention: patient's right on screen right";
}
