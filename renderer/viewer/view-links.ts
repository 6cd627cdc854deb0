import type { Vec3 } from './affine.js';
import type { SliceViewName } from './orientation.js';

/** Everything a panel's cameras depend on: linked panels share one object, unlinked ones own a copy. */
export interface ViewState {
  /** Crosshair position in world RAS+ mm; each slice view shows the plane through it. */
  cursor: Vec3;
  /** 1 = the volume fits the view. */
  zoom: number;
  /** Offset of each slice view's centre from the volume's centre, in mm along screen right/up. */
  pan: Record<SliceViewName, [number, number]>;
  /** 3D view camera, radians around the volume's centre (azimuth about S, elevation from the axial plane). */
  orbit: { azimuth: number; elevation: number };
}

export function cloneViewState(s: ViewState): ViewState {
  return {
    cursor: [...s.cursor],
    zoom: s.zoom,
    pan: { axial: [...s.pan.axial], coronal: [...s.pan.coronal], sagittal: [...s.pan.sagittal] },
    orbit: { ...s.orbit },
  };
}

/**
 * Which panels move together. Linked panels read and write one shared state; unlinking a panel gives it
 * a copy of the shared state at that moment; relinking makes it adopt the shared state again.
 */
export class ViewLinks {
  private shared: ViewState;
  private readonly own = new Map<number, ViewState>();

  constructor(
    initial: ViewState,
    private readonly panelCount: number,
  ) {
    this.shared = cloneViewState(initial);
  }

  private check(panel: number): void {
    if (!Number.isInteger(panel) || panel < 0 || panel >= this.panelCount) {
      throw new Error(`ViewLinks: panel ${panel} does not exist (have ${this.panelCount})`);
    }
  }

  isLinked(panel: number): boolean {
    this.check(panel);
    return !this.own.has(panel);
  }

  setLinked(panel: number, linked: boolean): void {
    this.check(panel);
    if (linked) this.own.delete(panel);
    else if (!this.own.has(panel)) this.own.set(panel, cloneViewState(this.shared));
  }

  stateOf(panel: number): Readonly<ViewState> {
    this.check(panel);
    return this.own.get(panel) ?? this.shared;
  }

  /** Applies `change` to the panel's state; returns the panels whose view changed. */
  update(panel: number, change: (state: ViewState) => void): number[] {
    this.check(panel);
    const own = this.own.get(panel);
    if (own) {
      change(own);
      return [panel];
    }
    change(this.shared);
    return [...Array(this.panelCount).keys()].filter((p) => !this.own.has(p));
  }

  /** Replaces every panel's state (a new volume was loaded). */
  reset(initial: ViewState): void {
    this.shared = cloneViewState(initial);
    for (const p of this.own.keys()) this.own.set(p, cloneViewState(initial));
  }
}
