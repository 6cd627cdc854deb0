#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed, otherwise browser mode (the engine
// serves the built renderer and the protocol WebSocket on 127.0.0.1; open the printed URL).
// Options: --port N, --data-dir DIR, --allow DIR (repeatable), --no-open, --browser (skip Electron).
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
const READY_PREFIX = 'RANP_HOST_READY ';

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

function buildRendererIfMissing() {
  if (existsSync(path.join(root, 'dist/renderer/index.html'))) return;
  console.log('Building the user interface (first start only)…');
  run(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--logLevel', 'warn']);
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

const electron = forceBrowser ? { reason: '--browser was given' } : findElectron();
if (electron.binary) {
  console.log('Starting RANP Studio (Electron).');
  if (!existsSync(path.join(root, 'dist/electron/main.js')))
    run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.electron.json']);
  buildRendererIfMissing();
  const app = spawn(electron.binary, ['.', ...hostArgs], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`${electron.reason}; starting browser mode.`);
  buildRendererIfMissing();
  const engine = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'engine/host/browser-main.ts'), ...hostArgs],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
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
  const stop = () => engine.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  engine.on('exit', (code) => process.exit(code ?? 0));
}
