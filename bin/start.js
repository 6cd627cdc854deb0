#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed, otherwise browser mode (the engine
// serves the built renderer and the protocol WebSocket on 127.0.0.1; open the printed URL).
// Options: --port N, --data-dir DIR, --allow DIR (repeatable), --static DIR (where the UI is built
// and served from), --no-open, --browser (skip Electron).
// SIGINT and SIGTERM (or the end of the process that started it) stop everything it started: the
// signal goes to each child's process group (the engine and anything it spawned, e.g. ffmpeg), then
// this process exits once they have.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const noOpen = argv.includes('--no-open');
const forceBrowser = argv.includes('--browser');
const hostArgs = argv.filter((a) => a !== '--no-open' && a !== '--browser');
const staticFlag = hostArgs.indexOf('--static');
const staticDir =
  staticFlag >= 0 && hostArgs[staticFlag + 1]
    ? path.resolve(hostArgs[staticFlag + 1])
    : path.join(root, 'dist/renderer');
const READY_PREFIX = 'RANP_HOST_READY ';
/** A child that ignores the forwarded signal this long is killed. */
const STOP_GRACE_MS = 10_000;
// A process group per child (POSIX) so that a stop reaches its own children too; Windows has none.
const ownGroups = process.platform !== 'win32';

const children = new Set();
let stopping = false;

function track(child) {
  children.add(child);
  child.on('exit', () => {
    children.delete(child);
    // Whatever the child left in its group (a grandchild it did not stop) goes with it.
    signalGroup(child, 'SIGKILL');
    if (stopping && children.size === 0) process.exit(0);
  });
  return child;
}

function signalGroup(child, signal) {
  try {
    if (ownGroups) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function stop(signal) {
  if (stopping) return;
  stopping = true;
  if (children.size === 0) process.exit(0);
  for (const child of children) signalGroup(child, signal);
  setTimeout(() => {
    for (const child of children) signalGroup(child, 'SIGKILL');
  }, STOP_GRACE_MS).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// `npm start` runs this under `sh -c`, which dies of a SIGTERM sent to npm without passing it on:
// a changed parent means whoever started this is gone, so stop as if signalled.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM');
}, 500).unref();

/** Path of the Electron binary, or the reason there is none. */
function findElectron() {
  try {
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
    return { reason: 'its binary was not downloaded' };
  } catch {
    return { reason: 'Electron is not installed (optional dependency)' };
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`ranp start: '${[command, ...args].join(' ')}' failed`);
    process.exit(result.status ?? 1);
  }
}

/** Builds the renderer through vite's JS API (its bin path is not exported by the package). */
async function buildRendererIfMissing() {
  if (existsSync(path.join(staticDir, 'index.html'))) return;
  console.log('Building the user interface (first start only)…');
  const { build } = await import('vite');
  try {
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      root: path.join(root, 'renderer'),
      build: { outDir: staticDir },
      logLevel: 'error',
    });
  } catch (error) {
    console.error(
      `ranp start: building the user interface failed: ${error instanceof Error ? error.message : error}`,
    );
    process.exit(1);
  }
}

function openInBrowser(url) {
  if (noOpen || process.env.CI) return;
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** Spawns a child this process stops with itself; exits with the child's code when it ends on its own. */
function spawnTracked(command, args, stdio) {
  const child = track(spawn(command, args, { cwd: root, stdio, detached: ownGroups }));
  child.on('exit', (code, signal) => {
    if (!stopping) process.exit(code ?? (signal ? 1 : 0));
  });
  return child;
}

const electron = forceBrowser ? { reason: '--browser was given' } : findElectron();
if (electron.binary) {
  console.log('Starting RANP Studio (Electron).');
  if (!existsSync(path.join(root, 'dist/electron/main.js')))
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.electron.json']);
  await buildRendererIfMissing();
  if (!stopping) spawnTracked(electron.binary, ['.', ...hostArgs], 'inherit');
} else {
  console.log(`${electron.reason}; starting browser mode.`);
  await buildRendererIfMissing();
  if (!stopping) startBrowserMode();
}

function startBrowserMode() {
  const engine = spawnTracked(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'engine/host/browser-main.ts'), ...hostArgs],
    ['ignore', 'pipe', 'inherit'],
  );
  let buffered = '';
  engine.stdout.on('data', (chunk) => {
    buffered += chunk.toString();
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.startsWith(READY_PREFIX)) {
        const ready = JSON.parse(line.slice(READY_PREFIX.length));
        const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
        console.log(
          `\nRANP Studio ${version} is running in browser mode.\n  Open: ${ready.url}\n  Data: ${ready.dataDir}\n  (The link holds this session's key; only this machine can connect. Ctrl+C stops it.)\n`,
        );
        openInBrowser(ready.url);
      } else console.log(line);
    }
  });
}
