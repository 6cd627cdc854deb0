import { mount, unmount } from 'svelte';
import type { VolumeHeader } from '../../engine/protocol/volume.js';
import bratsTableJson from '../../assets/colour-tables/brats.json';
import { generatedColourTable, parseColourTable, partColourTable, type ColourTable } from './colour-table.js';
import type { Comparison } from './comparison.js';
import type { ComparisonViewer, Rect, ViewName } from './comparison-viewer.js';
import { syntheticBratsSubject } from './synthetic-subject.js';
import { volumeFromPayload, type ViewerVolume } from './volume-data.js';
import ShapeComparison from './ShapeComparison.svelte';
import type { ShapeVolumes } from './shape-volumes.js';
import type { VoxelShapeView } from './voxel-shape-view.js';
import VolumeViewer from './VolumeViewer.svelte';

/** A volume as the tests send it: the protocol header and the payload bytes in base64. */
export interface HarnessVolume {
  header: VolumeHeader;
  base64: string;
}

export interface HarnessLoad {
  image: HarnessVolume;
  truth?: HarnessVolume;
  unpruned?: HarnessVolume;
  pruned?: HarnessVolume;
  /** 'brats' uses assets/colour-tables/brats.json; a list of values generates a table. */
  table: 'brats' | number[];
  maxTextureSize?: number;
  /** Rows to show; tests that do not look at the 3D view leave it out (SwiftShader renders it slowly). */
  views?: ViewName[];
}

/** A ShapeNet-style voxel shape as ShapeComparison takes it, the label arrays (255 = empty) in base64. */
export type HarnessShape = Omit<ShapeVolumes, 'truth' | 'unpruned' | 'pruned'> & {
  truth: string;
  unpruned: string;
  pruned: string;
  titles: { unpruned: string; pruned: string };
};

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function decode(volume: HarnessVolume): ViewerVolume {
  return volumeFromPayload(volume.header, bytesOf(volume.base64).buffer as ArrayBuffer);
}

function encode(bytes: Uint8ClampedArray): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

let mounted: ReturnType<typeof mount> | null = null;

async function remount(): Promise<HTMLElement> {
  if (mounted) await unmount(mounted);
  mounted = null;
  const target = document.getElementById('app')!;
  target.replaceChildren();
  return target;
}

const harness = {
  viewer: null as ComparisonViewer | null,
  shapeView: null as VoxelShapeView | null,
  comparison: null as Comparison | null,
  table: null as ColourTable | null,

  async load(request: HarnessLoad): Promise<void> {
    await harness.mountVolumes({
      image: decode(request.image),
      truth: request.truth ? decode(request.truth) : null,
      unpruned: request.unpruned ? decode(request.unpruned) : null,
      pruned: request.pruned ? decode(request.pruned) : null,
      table:
        request.table === 'brats'
          ? parseColourTable(bratsTableJson, 'brats.json')
          : generatedColourTable('labels', request.table),
      maxTextureSize: request.maxTextureSize,
      views: request.views,
    });
  },

  /** A BraTS-sized subject (240×240×155, 4 int16 modalities) made in the page: too big to send from the test. */
  async loadBratsSized(views?: ViewName[]): Promise<void> {
    const subject = syntheticBratsSubject();
    await harness.mountVolumes({ ...subject, table: parseColourTable(bratsTableJson, 'brats.json'), views });
  },

  async mountVolumes(props: {
    image: ViewerVolume;
    truth: ViewerVolume | null;
    unpruned: ViewerVolume | null;
    pruned: ViewerVolume | null;
    table: ColourTable;
    maxTextureSize?: number;
    views?: ViewName[];
  }): Promise<void> {
    const target = await remount();
    harness.table = props.table;
    await new Promise<void>((resolve, reject) => {
      try {
        mounted = mount(VolumeViewer, {
          target,
          props: {
            ...props,
            onready: (viewer: ComparisonViewer, comparison: Comparison) => {
              harness.viewer = viewer;
              harness.comparison = comparison;
              resolve();
            },
          },
        });
      } catch (e) {
        reject(e);
      }
    });
    harness.viewer!.render();
  },

  async loadShape(request: HarnessShape): Promise<void> {
    const target = await remount();
    harness.table = partColourTable(request.category, request.parts);
    await new Promise<void>((resolve) => {
      mounted = mount(ShapeComparison, {
        target,
        props: {
          ...request,
          truth: bytesOf(request.truth),
          unpruned: bytesOf(request.unpruned),
          pruned: bytesOf(request.pruned),
          onready: (view: VoxelShapeView) => {
            harness.shapeView = view;
            resolve();
          },
        },
      });
    });
  },

  /** RGBA of one panel of the shape view (0 truth, 1 unpruned, 2 pruned, 3 disagreement). */
  shapePixels(panel: number): { width: number; height: number; base64: string } {
    const rect = harness.shapeView!.viewportRect(panel);
    return { width: rect.width, height: rect.height, base64: encode(harness.shapeView!.readPixels(rect)) };
  },

  /** RGBA of a rectangle of the WebGL canvas (no overlay), base64 so large reads cross quickly. */
  pixels(rect: Rect): { width: number; height: number; base64: string } {
    const data = harness.viewer!.readPixels(rect);
    return { width: rect.width, height: rect.height, base64: encode(data) };
  },

  /** The exported PNG as a data URL (what "Export PNG" saves). */
  async exportDataUrl(): Promise<string> {
    const blob = await harness.viewer!.exportPNG();
    return await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsDataURL(blob);
    });
  },
};

declare global {
  interface Window {
    viewerHarness: typeof harness;
  }
}

window.viewerHarness = harness;
