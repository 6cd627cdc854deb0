#!/usr/bin/env node
// Native modules built for Electron, not for the Node that runs npm. electron-builder's beforeBuild
// hook (electron-builder.yml) removes the npm settings that make node-gyp compile against other
// headers than the ones electron-builder asks for (--runtime=electron --target=<Electron>
// --dist-url=https://electronjs.org/headers): npm exports its config to the processes it starts as
// npm_config_* variables, Debian's npm sets nodedir=/usr, and node-gyp prefers a nodedir over the
// target, so the "rebuilt" better-sqlite3 had Node 20's ABI under an Electron label and a packaged
// app could not load it. The beforePack hook (bin/bundle-native-libs.js) then checks each rebuilt
// binary's ABI with checkNativeAbi. `node bin/electron-abi.js` checks the binaries in node_modules.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAbi } from 'node-abi';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The native binaries a packaged app loads, relative to the app folder. */
export const NATIVE_BINARIES = [
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/@ranp/native/build/Release/ranp_native.node',
];

/** npm settings that override the headers node-gyp compiles against (npm_config_<name>, any case). */
const HEADER_OVERRIDES = /^npm_config_(nodedir|target|runtime|disturl|dist_url|devdir)$/i;

/** `env` without the variables that would make node-gyp ignore Electron's target and headers. */
export function electronRebuildEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !HEADER_OVERRIDES.test(name)));
}

/** The Electron this project packages: the installed one, else the version package.json pins. */
export function electronVersion() {
  const installed = path.join(root, 'node_modules/electron/package.json');
  if (existsSync(installed)) return JSON.parse(readFileSync(installed, 'utf8')).version;
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).optionalDependencies.electron;
}

/** NODE_MODULE_VERSION of Electron `version` (node-abi's table). */
export function electronAbi(version) {
  return getAbi(version, 'electron');
}

/**
 * The ABI a Node addon was built for, read from the registration symbol it exports:
 * node_register_module_v<NODE_MODULE_VERSION>, or 'napi' for a Node-API addon (napi_register_module_v1),
 * which loads in any runtime; undefined when the file has neither.
 */
export function abiOfBinary(file) {
  const text = readFileSync(file).toString('latin1');
  const versioned = /node_register_module_v(\d+)/.exec(text);
  if (versioned) return versioned[1];
  return text.includes('napi_register_module_v1') ? 'napi' : undefined;
}

/**
 * Throws unless every present binary of NATIVE_BINARIES under `appDir` loads in Electron `version`
 * (its ABI is Electron's, or Node-API); returns `file: abi` lines of what it checked.
 */
export function checkNativeAbi(appDir = root, version = electronVersion()) {
  const wanted = electronAbi(version);
  const checked = [];
  const wrong = [];
  for (const relative of NATIVE_BINARIES) {
    const file = path.join(appDir, relative);
    if (!existsSync(file)) continue;
    const abi = abiOfBinary(file);
    checked.push(`${relative}: ${abi ?? 'unknown'}`);
    if (abi !== 'napi' && abi !== wanted) wrong.push(`${relative} has ABI ${abi ?? 'unknown'}`);
  }
  if (wrong.length)
    throw new Error(
      `native modules not built for Electron ${version} (ABI ${wanted}): ${wrong.join(', ')}` +
        (wrong.some((w) => w.endsWith(` ${process.versions.modules}`))
          ? ` (ABI ${process.versions.modules} is this Node's: the rebuild used Node's headers, e.g. npm's nodedir)`
          : ''),
    );
  return checked;
}

/** electron-builder's beforeBuild hook: clears the overrides; electron-builder then rebuilds. */
export default async function beforeBuild() {
  for (const name of Object.keys(process.env)) if (HEADER_OVERRIDES.test(name)) delete process.env[name];
  return true;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  console.log(checkNativeAbi().join('\n'));
