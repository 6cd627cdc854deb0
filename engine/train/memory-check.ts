import { readFileSync } from 'node:fs';
import { freemem } from 'node:os';
import type { NetDescription, Triple } from '../nn/description.js';
import { optimizerStateSlots, type OptimizerSpec } from './optimizers/registry.js';
import { estimateStepMemory } from './step-memory.js';

/** What one training run would hold in memory per step. */
export interface TrainingMemoryRequest {
  net: NetDescription;
  inputSize: Triple;
  batch: number;
  optimizer: OptimizerSpec;
  /** Activation checkpointing (engine/nn/backprop.ts), which lowers the peak. */
  recomputeActivations?: boolean;
}

export interface MemoryVerdict {
  neededBytes: number;
  availableBytes: number;
  fits: boolean;
  /**
   * When it does not fit: recomputing activations at the same batch and input, or else the largest
   * smaller batch, or else the largest smaller input at batch 1, that fits (each with recomputation
   * only where the request has it).
   */
  suggestion?: { batch: number; inputSize: Triple; neededBytes: number; recomputeActivations?: boolean };
}

/** A training run refused before it starts because its predicted peak exceeds the memory available. */
export class InsufficientMemoryError extends Error {
  constructor(
    message: string,
    readonly verdict: MemoryVerdict,
  ) {
    super(message);
    this.name = 'InsufficientMemoryError';
  }
}

export const SKIP_MEMORY_CHECK_ENV = 'RANP_SKIP_MEMORY_CHECK';
const GIB = 2 ** 30;

/** Memory the OS can give this process now: Linux's MemAvailable (reclaimable caches included), else free memory. */
export function availableHostMemory(): number {
  try {
    const line = /^MemAvailable:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (line) return Number(line[1]) * 1024;
  } catch {
    // Not Linux: os.freemem() is the closest figure.
  }
  return freemem();
}

function neededBytes(request: TrainingMemoryRequest): number {
  const { net, inputSize, batch, optimizer } = request;
  return estimateStepMemory(net, inputSize, batch, optimizerStateSlots(optimizer), {
    checkpoint: request.recomputeActivations,
  }).peakBytes;
}

/** Smaller input sizes to suggest, largest first: each axis scaled by the same factor, multiples of 8. */
function smallerInputs(inputSize: Triple): Triple[] {
  const seen = new Set<string>([inputSize.join('x')]);
  const sizes: Triple[] = [];
  for (let f = 0.9; f > 0.05; f -= 0.05) {
    const size = inputSize.map((n) => Math.max(8, Math.floor((n * f) / 8) * 8)) as Triple;
    if (seen.has(size.join('x'))) continue;
    seen.add(size.join('x'));
    sizes.push(size);
  }
  return sizes;
}

/** Whether a training step of `request` fits in `availableBytes`, and what would when it does not. */
export function trainingMemoryVerdict(request: TrainingMemoryRequest, availableBytes: number): MemoryVerdict {
  const needed = neededBytes(request);
  const verdict: MemoryVerdict = { neededBytes: needed, availableBytes, fits: needed <= availableBytes };
  if (verdict.fits) return verdict;
  if (!request.recomputeActivations) {
    const bytes = neededBytes({ ...request, recomputeActivations: true });
    if (bytes <= availableBytes)
      return {
        ...verdict,
        suggestion: {
          batch: request.batch,
          inputSize: request.inputSize,
          neededBytes: bytes,
          recomputeActivations: true,
        },
      };
  }
  for (let batch = request.batch - 1; batch >= 1; batch--) {
    const bytes = neededBytes({ ...request, batch });
    if (bytes <= availableBytes)
      return { ...verdict, suggestion: { batch, inputSize: request.inputSize, neededBytes: bytes } };
  }
  for (const inputSize of smallerInputs(request.inputSize)) {
    let bytes: number;
    try {
      bytes = neededBytes({ ...request, batch: 1, inputSize });
    } catch {
      continue; // The net does not take this size (e.g. not divisible by its pooling).
    }
    if (bytes <= availableBytes)
      return { ...verdict, suggestion: { batch: 1, inputSize, neededBytes: bytes } };
  }
  return verdict;
}

const gib = (bytes: number) => `${(bytes / GIB).toFixed(bytes < 10 * GIB ? 1 : 0)} GiB`;

/**
 * Refuses, with what would fit, a training run whose predicted step peak exceeds the host memory
 * available, instead of letting it die of OOM minutes later. Skipped for GPU backends (their memory
 * is not readable here) and when RANP_SKIP_MEMORY_CHECK=1.
 */
export function assertTrainingFits(
  request: TrainingMemoryRequest,
  options: {
    /** Names the run in the message, e.g. 'unpruned net'. */
    what: string;
    tensorMemory: 'host' | 'device';
    env?: NodeJS.ProcessEnv;
    availableBytes?: number;
  },
): MemoryVerdict | undefined {
  if (options.tensorMemory !== 'host' || (options.env ?? process.env)[SKIP_MEMORY_CHECK_ENV] === '1')
    return undefined;
  const verdict = trainingMemoryVerdict(request, options.availableBytes ?? availableHostMemory());
  if (verdict.fits) return verdict;
  const { net, inputSize, batch } = request;
  const s = verdict.suggestion;
  const instead = !s
    ? 'no smaller batch or input fits either; try a smaller width'
    : s.recomputeActivations
      ? `try recomputing activations (train.recomputeActivations, --recompute-activations; ~${gib(s.neededBytes)})`
      : s.batch < batch && s.inputSize === inputSize
        ? `try batch ${s.batch} (~${gib(s.neededBytes)})`
        : `try input ${s.inputSize.join('×')} at batch 1 (~${gib(s.neededBytes)})`;
  throw new InsufficientMemoryError(
    `${options.what}: training ${net.name} at input ${inputSize.join('×')}, batch ${batch} needs ~${gib(verdict.neededBytes)} ` +
      `(predicted peak of one training step), this machine has ${gib(verdict.availableBytes)} available; ${instead}. ` +
      `Set ${SKIP_MEMORY_CHECK_ENV}=1 to try anyway.`,
    verdict,
  );
}
