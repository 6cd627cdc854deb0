import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeAdapterQuietly } from '../../../engine/backend/candidates/webgpu-probe.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ranp-webgpu-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for the `webgpu` package whose requestAdapter runs `body` (CommonJS, as Dawn's is). */
function fakeDawn(name: string, body: string): string {
  const file = path.join(dir, `${name}.cjs`);
  writeFileSync(
    file,
    `exports.globals = {};\nexports.create = () => ({ requestAdapter: async () => { ${body} } });\n`,
  );
  return file;
}

describe('probeAdapterQuietly', () => {
  it("keeps Dawn's stderr out of this process and reports its first message", async () => {
    const file = fakeDawn(
      'no-vulkan',
      `process.stderr.write("Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file\\n    at operator() (BackendVk.cpp:368)\\n"); return null;`,
    );
    expect(await probeAdapterQuietly(file, 5_000)).toEqual({
      found: false,
      why: 'no adapter',
      dawnSays: "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file",
    });
  });

  it("returns the adapter's info", async () => {
    const file = fakeDawn(
      'lavapipe',
      `return { info: { vendor: 'mesa', architecture: 'llvmpipe', description: 'd', isFallbackAdapter: true } };`,
    );
    expect(await probeAdapterQuietly(file, 5_000)).toEqual({
      found: true,
      info: { vendor: 'mesa', architecture: 'llvmpipe', description: 'd', isFallbackAdapter: true },
    });
  });

  it('reports a module that fails to load, and an adapter request that never answers', async () => {
    const broken = path.join(dir, 'broken.cjs');
    writeFileSync(broken, `throw new Error('GLIBC_2.38 not found');\n`);
    expect(await probeAdapterQuietly(broken, 5_000)).toMatchObject({
      found: false,
      why: 'GLIBC_2.38 not found',
    });
    const hangs = fakeDawn('hangs', 'return new Promise(() => setInterval(() => {}, 1000));');
    expect(await probeAdapterQuietly(hangs, 300)).toMatchObject({ found: false, why: 'no adapter' });
  });
});

describe('automatic backend selection', () => {
  // This machine has Mesa's software Vulkan: Dawn, opened in-process, warns on stderr about the
  // limits it lowers. Selection must print nothing, and still say in its report why webgpu was not used.
  it('writes nothing to stderr and reports why webgpu was skipped', () => {
    const script = `
      const { selectBackend } = await import(${JSON.stringify(path.resolve('engine/backend/index.ts'))});
      const report = await selectBackend({ env: {} });
      console.log(JSON.stringify(report.reasons.find((r) => r.backend === 'webgpu')));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { ...process.env, RANP_BACKEND: '' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const webgpu = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { available: boolean; why: string };
    expect(webgpu.available).toBe(false);
    expect(webgpu.why).toMatch(/software adapter|no WebGPU adapter|not installed/);
  });
});
