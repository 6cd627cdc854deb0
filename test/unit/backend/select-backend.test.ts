import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, parseBackendName, selectBackend } from '../../../engine/backend/index.js';
import { loadNativeAddon } from '../../../engine/backend/native-addon.js';
import { nativeKernelsInstalled } from '../../../engine/backend/native-kernels.js';

// One selection per process: this file runs in its own worker, and the tests below run in order.
describe('selectBackend on this machine', () => {
  it('a forced backend that is not installed fails with its reason, and selection can still happen', async () => {
    const attempt = selectBackend({ prefer: 'tfjs-node' });
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    const error = (await attempt.catch((e: unknown) => e)) as BackendUnavailableError;
    expect(error.message).toMatch(
      /'tfjs-node' forced by option is not available: @tensorflow\/tfjs-node not installed/,
    );
    expect(error.reasons.map((r) => r.backend)).toEqual(['tfjs-node', 'wasm']);
  });

  it('RANP_BACKEND=wasm is refused with the reason', async () => {
    await expect(selectBackend({ env: { RANP_BACKEND: 'wasm' } })).rejects.toThrow(
      /wasm refused: .*gradients .* are wrong/,
    );
  });

  it('picks the best available, explains every better one, and runs conv3d there', async () => {
    const native = loadNativeAddon();
    const report = await selectBackend({ env: {} });
    const expected = native.loaded ? 'native' : 'cpu';
    expect(report.chosen).toBe(expected);
    expect(report.native).toBe(native.loaded);
    expect(report.forcedBy).toBeUndefined();
    expect(tf.getBackend()).toBe('cpu');
    expect(nativeKernelsInstalled()).toBe(native.loaded);
    const names = report.reasons.map((r) => r.backend);
    expect(names.slice(0, 3)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'webgpu']);
    expect(names.at(-1)).toBe('wasm');
    // This machine: no libtensorflow packages, and Debian 12's Mesa gives Dawn no adapter.
    expect(report.reasons[0].why).toMatch(/tfjs-node-gpu not installed|not found|failed to load/);
    expect(report.reasons.find((r) => r.backend === 'webgpu')?.available).toBe(false);
    expect(report.reasons.find((r) => r.backend === expected)?.why).toMatch(/^chosen: /);
    const y = tf.conv3d(
      tf.ones([1, 2, 2, 2, 1]) as tf.Tensor5D,
      tf.ones([2, 2, 2, 1, 1]) as tf.Tensor5D,
      1,
      'valid',
    );
    expect(Array.from(y.dataSync())).toEqual([8]);
  });

  it('is idempotent, and refuses to switch to another backend afterwards', async () => {
    const first = await selectBackend();
    expect(await selectBackend()).toBe(first);
    await expect(selectBackend({ prefer: 'cpu' === first.chosen ? 'native' : 'cpu' })).rejects.toThrow(
      /already selected/,
    );
  });
});

describe('parseBackendName', () => {
  it('accepts known names case-insensitively and names the valid ones otherwise', () => {
    expect(parseBackendName(' Native ', 'RANP_BACKEND')).toBe('native');
    expect(() => parseBackendName('tensorflow', '--backend')).toThrow(
      "--backend: unknown backend 'tensorflow' (one of tfjs-node-gpu, tfjs-node, webgpu, native, cpu)",
    );
  });
});
