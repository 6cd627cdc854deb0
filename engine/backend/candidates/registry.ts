import type { BackendCandidate } from './candidate.js';
import { cpu } from './cpu.js';
import { native } from './native.js';
import { tfjsNode } from './tfjs-node.js';
import { tfjsNodeGpu } from './tfjs-node-gpu.js';
import { webgpu } from './webgpu.js';

/** Every backend, best first: selection takes the first that activates. */
export const backendCandidates: readonly BackendCandidate[] = [tfjsNodeGpu, tfjsNode, webgpu, native, cpu];
