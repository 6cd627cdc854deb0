import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { errorMessage, type Activation } from './candidate.js';

/**
 * Loads a libtensorflow binding package (tfjs-node or tfjs-node-gpu), which registers the
 * 'tensorflow' backend, and switches to it. Both install by downloading libtensorflow, so on many
 * machines (and offline) they are simply absent.
 */
export async function activateTensorflowBinding(packageName: string): Promise<Activation> {
  const absent = notInstalled(packageName);
  if (absent) return absent;
  try {
    await import(packageName);
  } catch (error) {
    return { ok: false, why: `${packageName} is installed but failed to load: ${errorMessage(error)}` };
  }
  try {
    if (!(await tf.setBackend('tensorflow')))
      return { ok: false, why: `${packageName} loaded but its backend did not initialize` };
  } catch (error) {
    return { ok: false, why: `${packageName} backend failed to initialize: ${errorMessage(error)}` };
  }
  return { ok: true, tfBackend: 'tensorflow', native: false, detail: `libtensorflow via ${packageName}` };
}

/** A failed activation when `packageName` cannot be resolved, else undefined. */
export function notInstalled(packageName: string): Activation | undefined {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return undefined;
  } catch {
    return {
      ok: false,
      why: `${packageName} not installed (optional dependency: its install downloads libtensorflow, which failed or was skipped)`,
    };
  }
}
