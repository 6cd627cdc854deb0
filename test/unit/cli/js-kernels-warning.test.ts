import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeSuffix, requireNativeAddon, skipNative } from '../native/native-required.js';

const root = join(import.meta.dirname, '../../..');

/** A quick real command that selects a backend and computes: prune a tiny net on a synthetic batch. */
function prune(env: Record<string, string>): { status: number | null; stderr: string } {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'bin/ranp.js'),
      'prune',
      ...['--net', 'unet3d-shapenet', '--method', 'random', '--synthetic', '--samples', '1'],
      ...['--sparsity', '0.3', '--input', '16', '--width', '0.25', '--json'],
    ],
    { encoding: 'utf8', env: { ...process.env, RANP_BACKEND: '', ...env } },
  );
  return { status: run.status, stderr: run.stderr };
}

const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('WARNING'));

describe('the CLI on tfjs JavaScript kernels', () => {
  it('says so once at start: what it costs and the one step that fixes it', () => {
    const { status, stderr } = prune({ RANP_NATIVE: '0' });
    expect(status, stderr).toBe(0);
    expect(warnings(stderr)).toEqual([
      "WARNING: running on tfjs's JavaScript kernels: training steps take 40-175× as long as on the native oneDNN kernels (disabled by RANP_NATIVE=0). To fix: unset RANP_NATIVE",
    ]);
    // The warning comes before any work is reported.
    expect(stderr.indexOf('WARNING')).toBe(0);
    expect(stderr).not.toMatch(/Vulkan|WebGPU|Dawn/i);
  });

  it('says nothing when the user forced cpu', () => {
    const forced = prune({ RANP_NATIVE: '0', RANP_BACKEND: 'cpu' });
    expect(forced.status, forced.stderr).toBe(0);
    expect(warnings(forced.stderr)).toEqual([]);
  });
});

// Needs the addon: fails without it unless RANP_SKIP_NATIVE=1 (test/unit/native/native-required.ts).
describe.skipIf(skipNative)(`the CLI on the native kernels${nativeSuffix}`, () => {
  requireNativeAddon();

  it('says nothing about JavaScript kernels', () => {
    const fast = prune({});
    expect(fast.status, fast.stderr).toBe(0);
    expect(warnings(fast.stderr)).toEqual([]);
  });
});
