import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  abiOfBinary,
  checkNativeAbi,
  electronAbi,
  electronRebuildEnv,
  electronVersion,
} from '../../../bin/electron-abi.js';

// Packaging must give Electron binaries it can load. Electron cannot install here, so this runs the
// parts that decide the ABI for real: @electron/rebuild's own node-gyp command line and worker, with
// node-gyp configuring a module offline against Electron headers placed in its devdir (Node's
// headers under Electron's version: only which folder node-gyp picks is checked, nothing compiles).

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-electron-abi-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const REBUILD = path.join(root, 'node_modules/@electron/rebuild/lib/module-type/node-gyp');

/** node-gyp's `nodedir` after configuring a tiny module the way @electron/rebuild would rebuild it. */
async function configuredNodeDir(env: NodeJS.ProcessEnv, version: string): Promise<string> {
  const module = fs.mkdtempSync(path.join(tmp, 'module-'));
  fs.writeFileSync(path.join(module, 'package.json'), '{"name":"tiny","version":"1.0.0"}');
  fs.writeFileSync(
    path.join(module, 'binding.gyp'),
    '{"targets":[{"target_name":"tiny","sources":["tiny.cc"]}]}',
  );
  const devDir = path.join(tmp, 'electron-gyp');
  const headers = path.join(devDir, version, 'include');
  if (!fs.existsSync(headers)) {
    fs.mkdirSync(headers, { recursive: true });
    fs.symlinkSync(path.join(path.dirname(process.execPath), '../include/node'), path.join(headers, 'node'));
    fs.writeFileSync(path.join(devDir, version, 'installVersion'), '11');
  }
  // The real command line: NodeGyp.buildArgs of @electron/rebuild, as electron-builder calls it.
  const { NodeGyp } = (await import(pathToFileURL(path.join(REBUILD, 'node-gyp.js')).href)) as {
    NodeGyp: new (rebuilder: object, modulePath: string) => { buildArgs(extra: string[]): Promise<string[]> };
  };
  const rebuilder = {
    electronVersion: version,
    arch: process.arch,
    platform: process.platform,
    headerURL: 'https://www.electronjs.org/headers',
    buildType: 'Release',
  };
  const args = await new NodeGyp(rebuilder, module).buildArgs([]);
  expect(args.slice(0, 3)).toEqual(['node', 'node-gyp', 'rebuild']);
  expect(args).toContain(`--target=${version}`);
  expect(args).toContain('--runtime=electron');
  // configure instead of rebuild: which headers it takes is decided there; no compiler needed.
  const nodeGypArgs = ['node', 'node-gyp', 'configure', ...args.slice(3)];
  const child = fork(path.join(REBUILD, 'worker.js'), { env, cwd: module, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  child.send({ moduleName: 'tiny', nodeGypArgs, extraNodeGypArgs: [], devDir });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(code, output).toBe(0);
  const gypi = fs.readFileSync(path.join(module, 'build/config.gypi'), 'utf8');
  return /"nodedir": "([^"]+)"/.exec(gypi)![1];
}

describe('native modules packaged for Electron', () => {
  const version = electronVersion();
  const npmEnv = { ...process.env, npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0' };

  it('the Electron packaged is the pinned one, and its ABI is not this Node’s', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      optionalDependencies: Record<string, string>;
    };
    expect(version).toBe(pkg.optionalDependencies.electron);
    // Electron 41's NODE_MODULE_VERSION (Electron's release notes; Node 20 is 115, Node 22 127).
    expect(electronAbi(version)).toBe('145');
    expect(process.versions.modules).not.toBe('145');
  });

  it('electron-builder.yml rebuilds through the hook that clears npm’s header overrides, then checks', () => {
    const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config.npmRebuild).toBe(true);
    expect(config.beforeBuild).toBe('./bin/electron-abi.js');
    expect(config.beforePack).toBe('./bin/bundle-native-libs.js');
    expect(fs.readFileSync(path.join(root, 'bin/bundle-native-libs.js'), 'utf8')).toMatch(/checkNativeAbi\(/);
    const cleaned = electronRebuildEnv(npmEnv);
    expect(cleaned.npm_config_nodedir).toBeUndefined();
    expect(cleaned.NPM_CONFIG_TARGET).toBeUndefined();
    expect(cleaned.PATH).toBe(process.env.PATH);
  });

  it('with npm’s nodedir=/usr node-gyp takes Node’s headers; with the hook’s env, Electron’s', async () => {
    // The bug as it was: Debian's npm exports nodedir=/usr and node-gyp prefers it to --target.
    expect(await configuredNodeDir(npmEnv, version)).toBe('/usr');
    expect(await configuredNodeDir(electronRebuildEnv(npmEnv), version)).toBe(
      path.join(tmp, 'electron-gyp', version),
    );
  });

  it('the ABI check reads the binaries and refuses a Node-ABI one', () => {
    const sqlite = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    // Built here for this Node by npm: exactly what must not be packaged.
    expect(abiOfBinary(sqlite)).toBe(process.versions.modules);
    expect(abiOfBinary(path.join(root, 'native/build/Release/ranp_native.node'))).toBe('napi');
    expect(() => checkNativeAbi(root, version)).toThrow(
      new RegExp(
        `better_sqlite3\\.node has ABI ${process.versions.modules} \\(ABI ${process.versions.modules} is this Node's`,
      ),
    );
    // The same files pass for this Node's own runtime version's ABI only when it is Electron's: a
    // check against an Electron whose ABI is this Node's would pass (none is, see above).
  });
});

/** Width and height from a PNG's IHDR, after checking the signature. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('installer metadata', () => {
  const build = path.join(root, 'assets/build');

  it('package.json names an author (electron-builder needs one for the deb and the mac bundle)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { author?: string };
    expect(pkg.author).toMatch(/\S/);
  });

  it('icons in buildResources: a 512² PNG, an ICO with a 256 px image, an ICNS with ic09 (512)', () => {
    const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      directories: { buildResources: string };
    };
    expect(config.directories.buildResources).toBe('assets/build');
    expect(pngSize(fs.readFileSync(path.join(build, 'icon.png')))).toEqual([512, 512]);

    const ico = fs.readFileSync(path.join(build, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => 6 + 16 * i);
    const sizes = entries.map((at) => {
      const png = ico.subarray(
        ico.readUInt32LE(at + 12),
        ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8),
      );
      const [w, h] = pngSize(png);
      expect(w).toBe(h);
      // The directory says 0 for 256.
      expect(ico.readUInt8(at) || 256).toBe(w);
      return w;
    });
    expect(sizes).toContain(256);

    const icns = fs.readFileSync(path.join(build, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types = new Map<string, [number, number]>();
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4))
      types.set(
        icns.toString('latin1', at, at + 4),
        pngSize(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4))),
      );
    expect(types.get('ic09')).toEqual([512, 512]);
  });
});
