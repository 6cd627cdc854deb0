import type { NetDescription, TaskName } from '../description.js';
import type { NetOptions } from './builder.js';
import { i3d } from './i3d.js';
import { mobilenetV2_3d } from './mobilenetv2-3d.js';
import { UNET3D_BRATS, UNET3D_SHAPENET, unet3d } from './unet3d.js';

export type { NetOptions } from './builder.js';

export interface ZooEntry {
  name: string;
  task: TaskName;
  /** Architecture and channels; the input size is the net's own (the paper's by default, any when built). */
  summary: string;
  /** The paper's neuron sparsity for this net (docs/method.md section 1). */
  paperSparsity: number;
  build(options: NetOptions): NetDescription;
}

/** Every zoo net, one line each. */
const zoo: ZooEntry[] = [
  {
    name: 'unet3d-shapenet',
    task: 'shapenet',
    summary: '3D-UNet, ShapeNet parts (1 → 50, f = 64)',
    paperSparsity: 0.7824,
    build: (o) => unet3d(UNET3D_SHAPENET, o),
  },
  {
    name: 'unet3d-brats',
    task: 'brats',
    summary: '3D-UNet, BraTS (4 → 5, f = 32)',
    paperSparsity: 0.7817,
    build: (o) => unet3d(UNET3D_BRATS, o),
  },
  {
    name: 'mobilenetv2-3d',
    task: 'ucf101',
    summary: 'MobileNetV2-3D, UCF101 (3 → 101)',
    paperSparsity: 0.3315,
    build: mobilenetV2_3d,
  },
  {
    name: 'i3d',
    task: 'ucf101',
    summary: 'I3D (Inception-v1 3D), UCF101 (3 → 101)',
    paperSparsity: 0.2532,
    build: i3d,
  },
];

export function listNets(): { name: string; task: TaskName; summary: string }[] {
  return zoo.map(({ name, task, summary }) => ({ name, task, summary }));
}

/** A zoo entry by name; throws naming the known nets when `name` is unknown. */
export function zooEntry(name: string): ZooEntry {
  const entry = zoo.find((e) => e.name === name);
  if (!entry) throw new Error(`unknown net '${name}' (known: ${zoo.map((e) => e.name).join(', ')})`);
  return entry;
}

/** Builds a zoo net's description; throws naming the known nets when `name` is unknown. */
export function buildNet(name: string, options: NetOptions = {}): NetDescription {
  return zooEntry(name).build(options);
}
