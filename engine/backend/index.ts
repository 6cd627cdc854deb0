import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './candidates/candidate.js';
import { backendCandidates } from './candidates/registry.js';

export type { BackendName } from './candidates/candidate.js';

/** One backend considered during selection. */
export interface BackendReason {
  backend: BackendName | 'wasm';
  available: boolean;
  /** Why it was skipped, or what was chosen. */
  why: string;
}

export interface BackendReport {
  chosen: BackendName;
  /** Where the chosen backend's tensors live (host RAM or a GPU's memory). */
  tensorMemory: 'host' | 'device';
  /** tfjs's name for the active backend: 'tensorflow', 'webgpu' or 'cpu'. */
  tfBackend: string;
  /** True when conv3d runs on the oneDNN addon. */
  native: boolean;
  /** Where a forced choice came from; absent when the best available was picked. */
  forcedBy?: 'option' | 'RANP_BACKEND';
  /** Every backend tried, best first, then 'wasm' (never used for conv3d training). */
  reasons: BackendReason[];
}

export interface SelectBackendOptions {
  /** Force one backend (takes precedence over RANP_BACKEND). */
  prefer?: BackendName;
  env?: NodeJS.ProcessEnv;
}

export const BACKEND_NAMES: readonly BackendName[] = backendCandidates.map((c) => c.name);

/** A forced backend that cannot run here, or an unknown or unsafe backend name. */
export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    readonly reasons: BackendReason[],
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

const WASM_REASON: BackendReason = {
  backend: 'wasm',
  available: false,
  why: 'never used: its Conv3D gradients (Conv3DBackpropInputV2, and the filter gradient at stride > 1) are wrong',
};

let selection: { prefer: BackendName | undefined; report: Promise<BackendReport> } | undefined;

/** Parses a backend name from the user (RANP_BACKEND, --backend), naming the valid ones on error. */
export function parseBackendName(value: string, source: string): BackendName {
  const name = value.trim().toLowerCase();
  if (name === 'wasm')
    throw new BackendUnavailableError(`${source}=wasm refused: ${WASM_REASON.why}`, [WASM_REASON]);
  const found = BACKEND_NAMES.find((b) => b === name);
  if (!found)
    throw new BackendUnavailableError(
      `${source}: unknown backend '${value}' (one of ${BACKEND_NAMES.join(', ')})`,
      [],
    );
  return found;
}

/**
 * Picks the tfjs backend for this process, once: the best that works of tfjs-node-gpu (CUDA),
 * tfjs-node, WebGPU, cpu + native oneDNN kernels, plain cpu; or the one forced by `prefer` /
 * RANP_BACKEND (which fails with BackendUnavailableError rather than silently running elsewhere).
 * Later calls return the same report; asking for a different backend afterwards is an error.
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  const env = options.env ?? process.env;
  let fromEnv: BackendName | undefined;
  try {
    fromEnv = env.RANP_BACKEND ? parseBackendName(env.RANP_BACKEND, 'RANP_BACKEND') : undefined;
  } catch (error) {
    return Promise.reject(error);
  }
  const prefer = options.prefer ?? fromEnv;
  if (selection) {
    if (options.prefer && options.prefer !== selection.prefer)
      return Promise.reject(
        new Error(
          `backend already selected for this process; cannot switch to '${options.prefer}' (restart the process)`,
        ),
      );
    return selection.report;
  }
  const forcedBy = options.prefer ? 'option' : fromEnv ? 'RANP_BACKEND' : undefined;
  selection = { prefer, report: runSelection(prefer, forcedBy) };
  return selection.report;
}

async function runSelection(
  prefer: BackendName | undefined,
  forcedBy: BackendReport['forcedBy'],
): Promise<BackendReport> {
  const reasons: BackendReason[] = [];
  const candidates = prefer ? backendCandidates.filter((c) => c.name === prefer) : backendCandidates;
  for (const candidate of candidates) {
    const result = await candidate.activate({ forced: prefer !== undefined });
    if (!result.ok) {
      reasons.push({ backend: candidate.name, available: false, why: result.why });
      continue;
    }
    await tf.ready();
    // PROD silences tfjs's console advice to install tfjs-node: this report says what runs and why.
    tf.env().set('PROD', true);
    reasons.push({ backend: candidate.name, available: true, why: `chosen: ${result.detail}` });
    reasons.push(WASM_REASON);
    return {
      chosen: candidate.name,
      tensorMemory: candidate.tensorMemory,
      tfBackend: result.tfBackend,
      native: result.native,
      forcedBy,
      reasons,
    };
  }
  reasons.push(WASM_REASON);
  // Only reachable when a forced backend failed: plain cpu always activates.
  const failed = reasons[0];
  selection = undefined;
  throw new BackendUnavailableError(
    `backend '${prefer}' forced by ${forcedBy} is not available: ${failed?.why ?? 'unknown reason'}`,
    reasons,
  );
}

/** The report of the selection made in this process, if any. */
export function currentBackendReport(): Promise<BackendReport> | undefined {
  return selection?.report;
}
