#!/usr/bin/env node
// `npm run setup`: everything the app needs on this machine, then the npm modules, then a check
// that the fast (oneDNN) path really loads. Run-time system packages only: oneDNN and OpenMP for
// the native kernels, ffmpeg for UCF101 video. The test-only packages (Chromium, Mesa, fixtures)
// are installed by scripts/setup-system.sh, which .ci/run calls.
// `node bin/setup.js --print-runtime-packages` prints the Debian run-time package names (one line,
// space-separated) and does nothing else: scripts/setup-system.sh installs the same list from here.
// Where system packages cannot be installed (no root and no sudo, or not Debian/Ubuntu), it says
// exactly what to install for this platform and carries on: the engine then runs tfjs's JavaScript
// kernels and says so at every start.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNTIME_DEBIAN_PACKAGES = ['libdnnl-dev', 'libgomp1', 'ffmpeg'];

/** What to install by hand, per platform (printed when this script cannot install it itself). */
const MANUAL_INSTALL = {
  debian: `sudo apt-get install ${RUNTIME_DEBIAN_PACKAGES.join(' ')}`,
  fedora: 'sudo dnf install onednn-devel libgomp ffmpeg-free',
  darwin: 'brew install onednn libomp ffmpeg',
  win32:
    'vcpkg install onednn:x64-windows (then set VCPKG_ROOT), and put ffmpeg.exe on PATH (e.g. winget install ffmpeg)',
};

function say(line) {
  console.log(`setup: ${line}`);
}

function sh(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

function succeeds(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function linuxFamily() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const ids = /^ID(?:_LIKE)?=(.*)$/gm;
    const words = [...release.matchAll(ids)].flatMap((m) => m[1].replace(/"/g, '').split(/\s+/));
    if (words.some((w) => w === 'debian' || w === 'ubuntu')) return 'debian';
    if (words.some((w) => w === 'fedora' || w === 'rhel' || w === 'centos')) return 'fedora';
  } catch {
    // no os-release: unknown Linux
  }
  return 'other';
}

/** Installs the Debian run-time packages; returns why it could not, or undefined on success. */
function installDebianPackages() {
  const missing = RUNTIME_DEBIAN_PACKAGES.filter((p) => !succeeds('dpkg', ['-s', p]));
  if (missing.length === 0) {
    say(`system packages present (${RUNTIME_DEBIAN_PACKAGES.join(', ')})`);
    return undefined;
  }
  const root = process.getuid?.() === 0;
  // sudo -n: never prompt inside an install; a user who wants to type a password runs the line we print.
  const prefix = root ? [] : succeeds('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
  if (!prefix) return `not root and sudo needs a password, so ${missing.join(', ')} were not installed`;
  say(`installing ${missing.join(', ')} (apt-get)`);
  const run = (args) => {
    const [command, ...rest] = [...prefix, ...args];
    return sh(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  if (!run(['apt-get', 'update', '-qq'])) return 'apt-get update failed';
  if (!run(['apt-get', 'install', '-y', '-qq', ...missing]))
    return `apt-get install ${missing.join(' ')} failed`;
  return undefined;
}

function installSystemPackages() {
  if (process.env.RANP_SKIP_SYSTEM_PACKAGES === '1') {
    say('RANP_SKIP_SYSTEM_PACKAGES=1: system packages left as they are');
    return;
  }
  const platform = process.platform === 'linux' ? linuxFamily() : process.platform;
  if (platform === 'debian') {
    const problem = installDebianPackages();
    if (!problem) return;
    say(
      `${problem}. Install them with:\n    ${MANUAL_INSTALL.debian}\n  then run \`npm rebuild @ranp/native\`.`,
    );
    return;
  }
  const hint = MANUAL_INSTALL[platform];
  say(
    hint
      ? `this script installs system packages on Debian/Ubuntu only. On this machine install:\n    ${hint}\n  then run \`npm rebuild @ranp/native\`.`
      : `unknown platform (${process.platform}); install oneDNN 2.x (headers and library), OpenMP and ffmpeg with its package manager, then run \`npm rebuild @ranp/native\`.`,
  );
}

function installNodeModules() {
  const lock = existsSync(path.join(root, 'package-lock.json'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  say(`npm ${lock ? 'ci' : 'install'}`);
  // onnxruntime-node (a devDependency: the ONNX export tests) ships its CPU binaries in the npm
  // package; its postinstall would also fetch CUDA binaries from NuGet, which is not reachable
  // everywhere and not needed (the tests run on the CPU). package.json's allowScripts denies that
  // script for npm >= 11.16 (so a plain `npm install` works too); the variable covers older npm.
  const result = sh(npm, [lock ? 'ci' : 'install'], {
    shell: process.platform === 'win32',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: process.env.ONNXRUNTIME_NODE_INSTALL ?? 'skip' },
  });
  if (result.status !== 0) {
    console.error('setup: npm failed (its messages are above); nothing else was changed');
    process.exit(result.status ?? 1);
  }
}

/** Loads the addon in a child (the parent never loads native code) and reports the fast path. */
function checkFastPath() {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      "const a = require('@ranp/native'); const i = a.info(); console.log(`oneDNN ${i.oneDnnVersion}, ${i.isa}, ${i.threads} threads`)",
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (probe.status === 0) {
    say(`fast path on: native kernels load (${probe.stdout.trim()})`);
    return;
  }
  const why = (
    probe.stderr.split('\n').find((l) => /Error|error:/.test(l)) ?? 'the addon did not load'
  ).trim();
  say(
    `WARNING: fast path OFF (${why}). Training runs on tfjs's JavaScript kernels, 40-175x slower.\n` +
      '  Install the system packages named above, then run `npm rebuild @ranp/native`; `npm run ranp -- doctor` explains.',
  );
}

if (process.argv.includes('--print-runtime-packages')) {
  console.log(RUNTIME_DEBIAN_PACKAGES.join(' '));
  process.exit(0);
}
installSystemPackages();
installNodeModules();
checkFastPath();
say('done. Next: `npm run demo` (the main job) or `npm start` (the app).');
