import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, isRunning } from '../integration/process-tree.js';
import { startApp } from '../integration/start-app.js';
import { launchChromium } from './helpers/chromium.js';

/**
 * First contact, as a new user has it: a fresh clone of HEAD (RANP_FRESH_CLONE_SOURCE: clone that
 * repository instead), the README's first command run there for real (system packages, npm ci, the
 * demo), a plain `npm ci` (the fast path without setup), then `npm start` with no prior build, a
 * page rendered by Chromium, and SIGTERM. A missing install step, a build crash or a silently slow
 * demo fails it. npm uses its usual cache.
 */
const source = process.env.RANP_FRESH_CLONE_SOURCE ?? process.cwd();
const work = mkdtempSync(path.join(os.tmpdir(), 'ranp-fresh-clone-'));
const clone = path.join(work, 'ranp');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The first command of the README's "Two commands" block, without its comment. */
function readmeFirstCommand(readme: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Two commands'));
  const block = section && /```sh\n([^\n]+)\n/.exec(section);
  if (!block) throw new Error('README.md has no "## Two commands" section with a sh block');
  return block[1].replace(/\s+#.*$/, '').trim();
}

/** Dawn's and the WebGPU probe's messages, which a user must never see from the demo. */
const GPU_NOISE = /Vulkan|WebGPU adapter|maxDynamic\w+ artificially reduced|Dawn/;

/**
 * This environment without what the test runner adds (VITEST*, NODE_ENV=test), as in a user's
 * shell; the demo's experiment store goes to a temp folder, not this machine's app data.
 */
const userEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV' && k !== 'TEST'),
  ),
  RANP_DATA_DIR: path.join(work, 'data'),
};

function run(
  command: string,
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: userEnv,
      timeout: timeoutMs,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('a fresh clone', () => {
  it("README's first command sets up and runs the demo on the native kernels; a plain npm ci builds the fast path too; npm start serves the UI and stops cleanly", async () => {
    execFileSync('git', ['clone', '--quiet', source, clone], { stdio: 'inherit' });
    const command = readmeFirstCommand(readFileSync(path.join(clone, 'README.md'), 'utf8'));
    expect(command).toMatch(/^npm run setup && npm run demo$/);

    const started = Date.now();
    const first = await run(command, clone, 1_500_000);
    const tail = first.output.slice(-4000);
    expect(first.code, `'${command}' failed:\n${tail}`).toBe(0);
    expect(first.output, tail).toMatch(/^backend: native\b/m);
    expect(first.output, tail).not.toMatch(/^WARNING/m);
    expect(first.output.match(GPU_NOISE)?.[0], tail).toBeUndefined();
    expect(first.output, tail).toMatch(/seconds \/ training step/);
    const seconds = Math.round((Date.now() - started) / 1000);
    const backendLine = /^backend: .*$/m.exec(first.output)?.[0];
    console.log(
      `fresh clone: '${command}' took ${seconds} s; demo: ${backendLine}\n${first.output.slice(-1200)}`,
    );

    // What electron-builder's beforePack hook does with the addon this install built: the libraries
    // are copied next to it and are the ones it loads (DT_RPATH $ORIGIN), not the system's.
    const carried = path.join(work, 'carried');
    mkdirSync(carried);
    copyFileSync(
      path.join(clone, 'native/build/Release/ranp_native.node'),
      path.join(carried, 'ranp_native.node'),
    );
    execFileSync(process.execPath, [path.join(clone, 'bin/bundle-native-libs.js'), carried], {
      stdio: 'inherit',
    });
    const ldd = execFileSync('ldd', [path.join(carried, 'ranp_native.node')], { encoding: 'utf8' });
    for (const lib of ['libdnnl.so.2', 'libgomp.so.1', 'libOpenCL.so.1'])
      expect(ldd.replaceAll('/./', '/')).toContain(`${lib} => ${carried}/${lib} `);

    // The fast path behind a plain `npm ci`, as a user who skips setup has it (no
    // ONNXRUNTIME_NODE_INSTALL, which setup sets): package.json's allowScripts must cover every
    // install script (npm 12 skips unlisted ones silently), the addon must build, and the offline
    // machine must not fail on onnxruntime-node's CUDA download. `npm start` below runs on it.
    rmSync(path.join(clone, 'native/build'), { recursive: true, force: true });
    const plain = await run('npm ci', clone, 900_000);
    const plainTail = plain.output.slice(-4000);
    expect(plain.code, `plain 'npm ci' failed:\n${plainTail}`).toBe(0);
    expect(plain.output, plainTail).not.toMatch(/not yet covered by allowScripts/);
    expect(existsSync(path.join(clone, 'native/build/Release/ranp_native.node')), plainTail).toBe(true);

    const app = await startApp(clone, ['--port', '0', '--data-dir', path.join(work, 'data')], {
      timeoutMs: 300_000,
      via: 'npm',
      env: userEnv,
    });
    const ui = await launchChromium();
    try {
      await ui.page.goto(app.url);
      await expect
        .poll(() => ui.page.locator('header .status').textContent(), { timeout: 60_000 })
        .toContain('engine ready · native');
      expect(await ui.page.getByRole('heading', { name: 'RANP Studio' }).isVisible()).toBe(true);
      expect(await ui.page.getByRole('tab', { name: 'New experiment' }).isVisible()).toBe(true);
    } finally {
      await ui.close();
    }
    const pid = app.process.pid!;
    const tree = [pid, ...descendants(pid)];
    app.process.kill('SIGTERM');
    await app.exited;
    const end = Date.now() + 10_000;
    while (tree.some(isRunning) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(tree.filter(isRunning), app.output()).toEqual([]);
  }, 1_800_000);
});
