import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { errorMessage, type Activation, type BackendCandidate } from './candidate.js';
import { probeAdapterQuietly, type GpuAdapterInfo } from './webgpu-probe.js';

interface GpuAdapterLike {
  info?: GpuAdapterInfo;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

const ADAPTER_TIMEOUT_MS = 10_000;

function isDawnModule(value: unknown): value is DawnModule {
  const m = value as Partial<DawnModule> | null;
  return typeof m?.create === 'function' && typeof m.globals === 'object';
}

interface SyncReader {
  readSync(dataId: object): unknown;
}

/**
 * tfjs-webgpu reads GPU data synchronously (dataSync, arraySync) through OffscreenCanvas, which
 * Node lacks: it fails with "OffscreenCanvas is not defined". Say what happened and what works.
 */
function explainSyncReadFailure(backend: SyncReader): void {
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId) => {
    try {
      return readSync(dataId);
    } catch (error) {
      if (error instanceof ReferenceError && error.message.includes('OffscreenCanvas'))
        throw new Error(
          'webgpu backend in Node: dataSync()/arraySync() of a tensor that lives on the GPU is not possible (no synchronous GPU readback without OffscreenCanvas); read it with await tensor.data(), or use another backend',
        );
      throw error;
    }
  };
}

const NO_ADAPTER =
  'Dawn found no usable GPU or Vulkan driver; on Debian 12 software Vulkan needs Mesa 25 from bookworm-backports';

function adapterName(info: GpuAdapterInfo | undefined): string {
  return [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || '(unnamed)';
}

// A software adapter (Mesa lavapipe, SwiftShader) is no faster than tfjs cpu and far slower than
// the native kernels: it is for testing the WebGPU path, so only a forced choice gets it.
function softwareAdapterDeclined(info: GpuAdapterInfo | undefined): Activation {
  return {
    ok: false,
    why: `available, but only a software adapter (${adapterName(info)}): not picked automatically (no faster than cpu); force it with RANP_BACKEND=webgpu`,
  };
}

/**
 * Automatic selection probes in a child first, so that a machine without a usable GPU (the common
 * case) hears nothing from Dawn; only a hardware adapter is then opened in this process.
 * Returns the activation when the probe settles it, undefined when a hardware adapter is there.
 */
async function declinedByQuietProbe(): Promise<Activation | undefined> {
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve('webgpu');
  } catch (error) {
    return { ok: false, why: `webgpu (Dawn for Node) not installed: ${errorMessage(error)}` };
  }
  const probe = await probeAdapterQuietly(modulePath, ADAPTER_TIMEOUT_MS);
  if (!probe.found) {
    const said = [probe.why, probe.dawnSays && `Dawn: ${probe.dawnSays}`].filter(Boolean).join('; ');
    return { ok: false, why: `no WebGPU adapter (${said}; ${NO_ADAPTER})` };
  }
  if (probe.info.isFallbackAdapter) return softwareAdapterDeclined(probe.info);
  return undefined;
}

/**
 * WebGPU in plain Node through Dawn (the `webgpu` package): the cross-vendor GPU path. The
 * globals must exist before tfjs-backend-webgpu loads; the full @tensorflow/tfjs supplies gradients.
 * Only a forced choice (RANP_BACKEND=webgpu, --backend webgpu) lets Dawn's own messages through.
 */
export const webgpu: BackendCandidate = {
  name: 'webgpu',
  tensorMemory: 'device',
  async activate(request) {
    if (!request?.forced) {
      const declined = await declinedByQuietProbe();
      if (declined) return declined;
    }
    const require = createRequire(import.meta.url);
    let dawn: unknown;
    try {
      dawn = require('webgpu');
    } catch (error) {
      return {
        ok: false,
        why: `webgpu (Dawn for Node) not installed or failed to load: ${errorMessage(error)}`,
      };
    }
    if (!isDawnModule(dawn))
      return { ok: false, why: 'the webgpu package does not export create() and globals' };
    const g = globalThis as Record<string, unknown>;
    Object.assign(g, dawn.globals);
    const gpu = dawn.create([]);
    let adapter: GpuAdapterLike | null;
    try {
      adapter = await Promise.race([
        gpu.requestAdapter(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), ADAPTER_TIMEOUT_MS).unref()),
      ]);
    } catch (error) {
      return { ok: false, why: `no WebGPU adapter: ${errorMessage(error)}` };
    }
    if (!adapter) return { ok: false, why: `no WebGPU adapter (${NO_ADAPTER})` };
    const info = adapter.info;
    if (info?.isFallbackAdapter && !request?.forced) return softwareAdapterDeclined(info);
    // tfjs-backend-webgpu reads navigator.gpu when it loads.
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    try {
      await import('@tensorflow/tfjs-backend-webgpu');
      if (!(await tf.setBackend('webgpu')))
        return { ok: false, why: 'WebGPU adapter found but the tfjs webgpu backend did not initialize' };
    } catch (error) {
      return { ok: false, why: `tfjs webgpu backend failed: ${errorMessage(error)}` };
    }
    explainSyncReadFailure(tf.backend() as SyncReader);
    const kind = info?.isFallbackAdapter ? ' (software fallback adapter)' : '';
    return {
      ok: true,
      tfBackend: 'webgpu',
      native: false,
      detail: `WebGPU adapter ${adapterName(info)}${kind}`,
    };
  },
};
