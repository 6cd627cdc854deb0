/** What selectBackend can choose. 'native' is tfjs's cpu backend with the oneDNN kernels installed. */
export type BackendName = 'tfjs-node-gpu' | 'tfjs-node' | 'webgpu' | 'native' | 'cpu';

export type Activation =
  { ok: true; tfBackend: string; native: boolean; detail: string } | { ok: false; why: string };

/** One backend the engine may run on, best first in the registry. */
export interface BackendCandidate {
  name: BackendName;
  /** Where its tensors live: host RAM, or a GPU's own memory (which the pre-training memory check cannot read). */
  tensorMemory: 'host' | 'device';
  /**
   * Checks availability and, when available, makes it tfjs's backend. Never throws. `forced`: the
   * user asked for this backend by name (a candidate may decline to be picked automatically).
   */
  activate(request?: { forced: boolean }): Promise<Activation>;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
