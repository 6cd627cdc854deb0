import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetDescription, Triple } from '../engine/nn/description.js';
import { inferShapes } from '../engine/nn/shapes.js';
import { resolveWindow } from '../engine/nn/window.js';
import { taskModule } from '../engine/tasks/registry.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch', 'step.py');
/** Debian's python3-torch lives in the system Python, which a pyenv or venv `python3` on PATH hides. */
const PYTHONS = ['python3', '/usr/bin/python3'];
export const TORCH_HINT =
  'no PyTorch anchor: no python3 with torch found (Debian/Ubuntu: sudo apt-get install python3-torch)';

/** What bench/torch/step.py measured for one training step of the same net. */
export interface TorchStep {
  torch: string;
  threads: number;
  medianMs: number;
  timesMs: number[];
  maxRssMiB: number;
  rssAfterImportMiB: number;
}

let found: string | null | undefined;

/** The first python3 that imports torch, or null. */
export function torchPython(): string | null {
  found ??=
    PYTHONS.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? null;
  return found;
}

/** The description with every windowed layer's kernel, stride and padding resolved at `size`. */
function resolvedNet(net: NetDescription, size: Triple): unknown {
  const shapes = inferShapes(net, size);
  return {
    ...net,
    nodes: net.nodes.map((node) => {
      if (node.kind !== 'conv3d' && node.kind !== 'maxPool3d' && node.kind !== 'avgPool3d') return node;
      const input = shapes.get(node.inputs[0])?.spatial;
      if (!input) throw new Error(`torch anchor: layer '${node.name}' has no spatial input`);
      return { ...node, window: resolveWindow(node.name, input, node.attrs) };
    }),
  };
}

/**
 * One training step of `net` in PyTorch in a child process of its own (so its peak RSS is this
 * case's): warm-up steps, then `reps` timed steps. Null when no python3 with torch is installed.
 */
export function torchStep(
  net: NetDescription,
  size: Triple,
  batch: number,
  options: { reps: number; warmup: number },
): TorchStep | null {
  const python = torchPython();
  if (!python) return null;
  const dir = mkdtempSync(join(os.tmpdir(), 'ranp-torch-'));
  try {
    const specFile = join(dir, 'spec.json');
    writeFileSync(
      specFile,
      JSON.stringify({
        net: resolvedNet(net, size),
        size,
        batch,
        segmentation: net.task !== 'ucf101',
        loss: taskModule(net.task).loss,
        threads: Number(process.env.OMP_NUM_THREADS) || os.availableParallelism(),
        reps: Math.max(1, options.reps),
        warmup: options.warmup,
      }),
    );
    const run = spawnSync(python, [SCRIPT, specFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0)
      throw new Error(
        `torch anchor (${python} ${SCRIPT}) failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    return JSON.parse(run.stdout.trim().split('\n').pop() as string) as TorchStep;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
