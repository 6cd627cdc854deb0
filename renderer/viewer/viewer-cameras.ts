import { OrthographicCamera, PerspectiveCamera, Vector3 } from 'three';
import type { Vec3 } from './affine.js';
import { SLICE_VIEWS, viewAxes, type DisplayConvention, type SliceViewName } from './orientation.js';
import type { Rect } from './rect.js';
import type { ViewState } from './view-links.js';
import { LAYERS, type WorldBounds } from './viewer-panel.js';

const FOV_DEGREES = 35;

/** A slice view's visible world rectangle: centre, screen axes in world, half extents in mm. */
export interface SliceFrame {
  centre: Vector3;
  right: Vector3;
  up: Vector3;
  halfWidth: number;
  halfHeight: number;
  normalAxis: 0 | 1 | 2;
}

/**
 * The cameras of every cell: an orthographic camera per slice view (world-aligned, framed on the volume's
 * bounds, then zoomed and panned by the panel's view state) and a perspective orbit camera for the 3D view.
 * One instance of each camera is reused for every cell, set up just before that cell is drawn.
 */
export class ViewerCameras {
  readonly slice = new OrthographicCamera();
  readonly perspective = new PerspectiveCamera(FOV_DEGREES, 1, 0.1, 10_000);
  bounds: WorldBounds = { min: [0, 0, 0], max: [1, 1, 1] };
  convention: DisplayConvention = 'radiological';

  constructor() {
    this.slice.up.set(0, 0, 1);
  }

  centre(): Vec3 {
    return [0, 1, 2].map((a) => (this.bounds.min[a] + this.bounds.max[a]) / 2) as Vec3;
  }

  private diagonal(): number {
    return Math.hypot(...this.bounds.max.map((v, a) => v - this.bounds.min[a]));
  }

  sliceFrame(state: Readonly<ViewState>, view: SliceViewName, rect: Rect): SliceFrame {
    const axes = viewAxes(view, this.convention);
    const right = new Vector3(...axes.right);
    const up = new Vector3(...axes.up);
    const centre = new Vector3(...this.centre())
      .addScaledVector(right, state.pan[view][0])
      .addScaledVector(up, state.pan[view][1]);
    centre.setComponent(axes.normalAxis, state.cursor[axes.normalAxis]);
    const extent = (dir: Vector3): number =>
      Math.abs(dot(this.bounds.max, dir.toArray()) - dot(this.bounds.min, dir.toArray()));
    const aspect = rect.width / Math.max(1, rect.height);
    const halfHeight = (Math.max(extent(up) / 2, extent(right) / 2 / aspect) * 1.04) / state.zoom;
    return { centre, right, up, halfWidth: halfHeight * aspect, halfHeight, normalAxis: axes.normalAxis };
  }

  /** World point under a CSS pixel (x, y) of a slice cell at `rect` (the normal coordinate is the slice's). */
  screenToWorld(state: Readonly<ViewState>, view: SliceViewName, rect: Rect, x: number, y: number): Vec3 {
    const f = this.sliceFrame(state, view, rect);
    const u = ((x - rect.x) / rect.width) * 2 - 1;
    const v = 1 - ((y - rect.y) / rect.height) * 2;
    return f.centre
      .clone()
      .addScaledVector(f.right, u * f.halfWidth)
      .addScaledVector(f.up, v * f.halfHeight)
      .toArray() as Vec3;
  }

  /** CSS pixel of a world point in a slice cell (the inverse of screenToWorld within the plane). */
  worldToScreen(state: Readonly<ViewState>, view: SliceViewName, rect: Rect, world: Vec3): [number, number] {
    const f = this.sliceFrame(state, view, rect);
    const offset = new Vector3(...world).sub(f.centre);
    const u = offset.dot(f.right) / f.halfWidth;
    const v = offset.dot(f.up) / f.halfHeight;
    return [rect.x + ((u + 1) / 2) * rect.width, rect.y + ((1 - v) / 2) * rect.height];
  }

  /** Millimetres per CSS pixel in a slice cell (for panning by drag). */
  mmPerPixel(state: Readonly<ViewState>, view: SliceViewName, rect: Rect): number {
    return (this.sliceFrame(state, view, rect).halfHeight * 2) / rect.height;
  }

  setupSlice(state: Readonly<ViewState>, view: SliceViewName, rect: Rect): OrthographicCamera {
    const f = this.sliceFrame(state, view, rect);
    const cam = this.slice;
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

  setup3D(state: Readonly<ViewState>, rect: Rect): PerspectiveCamera {
    const { orbit, zoom } = state;
    const centre = new Vector3(...this.centre());
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
    return cam;
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
