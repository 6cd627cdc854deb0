#!/usr/bin/env node
// Copies the shared libraries the native addon needs (oneDNN, OpenMP; on Debian also the OpenCL
// loader libdnnl links) next to it, so that an installed app has the fast path without any system
// package. electron-builder runs it as its beforePack hook (electron-builder.yml), after it rebuilt
// the addon against Electron's headers; `node bin/bundle-native-libs.js [ADDON_DIR]` runs it by hand.
// The addon finds the copies through its rpath ($ORIGIN on Linux, @loader_path on macOS: see
// native/binding.gyp); Windows looks next to the addon by itself. docs/installers.md: how to verify.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNativeAbi } from './electron-abi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_ADDON_DIR = path.join(root, 'native/build/Release');
const ADDON = 'ranp_native.node';

/** Shared libraries that are the addon's to carry (the C and C++ runtimes are the system's). */
const CARRIED = {
  linux: /^lib(dnnl|gomp|OpenCL)\.so/,
  darwin: /^lib(dnnl|omp)[.\d]*\.dylib$/,
};

function say(line) {
  console.log(`bundle-native-libs: ${line}`);
}

/** `ldd` lines "libdnnl.so.2 => /usr/lib/x86_64-linux-gnu/libdnnl.so.2 (0x...)": soname → path. */
function linuxDependencies(file) {
  const found = new Map();
  for (const line of execFileSync('ldd', [file], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*(\S+) => (\/\S+)/.exec(line);
    if (m) found.set(m[1], m[2]);
  }
  return found;
}

function bundleLinux(dir) {
  const addon = path.join(dir, ADDON);
  const rpath = execFileSync('readelf', ['-d', addon], { encoding: 'utf8' });
  if (!/\(RPATH\)\s+Library rpath: \[\$ORIGIN\]/.test(rpath))
    throw new Error(`${addon} has no DT_RPATH $ORIGIN: rebuild it with this repository's native/binding.gyp`);
  // ldd lists every library loaded, libdnnl's own dependencies (libOpenCL) included.
  const copied = [];
  for (const [soname, file] of linuxDependencies(addon)) {
    if (!CARRIED.linux.test(soname)) continue;
    const target = path.join(dir, soname);
    if (path.resolve(file) === path.resolve(target)) continue;
    copyFileSync(realpathSync(file), target);
    chmodSync(target, 0o755);
    copied.push(`${soname} (from ${file})`);
  }
  return copied;
}

/** `otool -L` install names of a Mach-O file, without the file's own id. */
function machoDependencies(file) {
  return execFileSync('otool', ['-L', file], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(' (')[0])
    .filter((name) => name && !name.endsWith(path.basename(file)));
}

function bundleMac(dir) {
  const copied = [];
  // Breadth-first over the addon and each library copied: libdnnl itself may link libomp.
  const pending = [path.join(dir, ADDON)];
  while (pending.length > 0) {
    const file = pending.shift();
    for (const dependency of machoDependencies(file)) {
      const name = path.basename(dependency);
      if (!CARRIED.darwin.test(name) || dependency.startsWith('@')) continue;
      const target = path.join(dir, name);
      if (!existsSync(target)) {
        copyFileSync(realpathSync(dependency), target);
        chmodSync(target, 0o755);
        execFileSync('install_name_tool', ['-id', `@loader_path/${name}`, target]);
        copied.push(`${name} (from ${dependency})`);
        pending.push(target);
      }
      execFileSync('install_name_tool', ['-change', dependency, `@loader_path/${name}`, file]);
    }
  }
  return copied;
}

function bundleWindows(dir) {
  const vcpkg = process.env.VCPKG_ROOT ?? 'C:/vcpkg';
  const triplet = process.env.VCPKG_DEFAULT_TRIPLET ?? 'x64-windows';
  const sources = [path.join(vcpkg, 'installed', triplet, 'bin', 'dnnl.dll')];
  // MSVC's OpenMP runtime: part of the Visual C++ redistributable, which a fresh Windows may lack.
  const redist = process.env.VCToolsRedistDir;
  if (redist) {
    const omp = path.join(redist, 'x64', 'Microsoft.VC143.OpenMP', 'vcomp140.dll');
    if (existsSync(omp)) sources.push(omp);
    else say(`no ${omp}: the installer relies on the Visual C++ redistributable for vcomp140.dll`);
  } else say('VCToolsRedistDir unset (run from a VS developer prompt to carry vcomp140.dll)');
  const copied = [];
  for (const source of sources) {
    if (!existsSync(source))
      throw new Error(`${source} not found (vcpkg install onednn:${triplet}; VCPKG_ROOT)`);
    copyFileSync(source, path.join(dir, path.basename(source)));
    copied.push(`${path.basename(source)} (from ${source})`);
  }
  return copied;
}

/** Copies the libraries into `dir` (the addon's folder); returns what it copied. */
export function bundleNativeLibs(dir = DEFAULT_ADDON_DIR, platform = process.platform) {
  if (!existsSync(path.join(dir, ADDON))) {
    // The addon is optional: an installer built without oneDNN runs on the JavaScript kernels.
    say(`no ${ADDON} in ${dir}: nothing to carry (the app will run on tfjs's JavaScript kernels)`);
    return [];
  }
  const copied =
    platform === 'linux' ? bundleLinux(dir) : platform === 'darwin' ? bundleMac(dir) : bundleWindows(dir);
  say(copied.length ? `copied ${copied.join(', ')} into ${dir}` : `nothing to copy into ${dir}`);
  return copied;
}

/**
 * electron-builder's beforePack hook: it rebuilt the addon in place, so bundle there; first refuse
 * binaries that Electron could not load (bin/electron-abi.js).
 */
export default async function beforePack(context) {
  const platform = context?.electronPlatformName ?? process.platform;
  if (platform !== process.platform)
    throw new Error(
      `bundle-native-libs: cannot carry ${platform} libraries from ${process.platform}; build each installer on its own OS`,
    );
  say(
    `ABI checked: ${checkNativeAbi(context?.packager?.info?.appDir ?? root, context?.packager?.info?.framework?.version).join(', ')}`,
  );
  bundleNativeLibs(DEFAULT_ADDON_DIR, platform);
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  bundleNativeLibs(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_ADDON_DIR);
