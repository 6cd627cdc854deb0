import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../engine/store/index.js';
import { StoreError } from '../../engine/store/errors.js';
import { mutateBytes, mutateJson } from '../mutate.js';
import { isErrorOf, type FuzzTarget } from '../target.js';

/**
 * Run bundle import: a bundle folder is carried as one JSON object {relative path: file text}.
 * Mutations change the manifest and the other files' contents (paths inside the manifest included,
 * so traversal attempts reach the importer); the harness itself only writes plain relative names.
 */
type BundleFiles = Record<string, string>;

function readBundle(dir: string, prefix = ''): BundleFiles {
  const files: BundleFiles = {};
  for (const name of readdirSync(path.join(dir, prefix))) {
    const rel = path.join(prefix, name);
    if (statSync(path.join(dir, rel)).isDirectory()) Object.assign(files, readBundle(dir, rel));
    else files[rel] = readFileSync(path.join(dir, rel), 'latin1');
  }
  return files;
}

const SAFE_NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)?$/;

export const bundleTarget: FuzzTarget = {
  name: 'bundle',
  async corpus() {
    const work = mkdtempSync(path.join(tmpdir(), 'ranp-fuzz-bundle-corpus-'));
    const store = openStore({ dataDir: path.join(work, 'data') });
    try {
      const run = store.createRun({
        task: 'train',
        dataset: 'shapenet',
        net: 'unet3d-shapenet',
        config: { epochs: 2, lr: 0.1 },
        seed: 1,
        status: 'running',
      });
      store.recordEpoch(run.id, {
        epoch: 0,
        metrics: [
          { name: 'loss', value: 1.5 },
          { name: 'miou', value: 0.25 },
        ],
        checkpoint: { name: 'last.ckpt', source: { bytes: Buffer.from('checkpoint bytes') } },
      });
      store.recordPruneReport(run.id, { layers: [{ layer: 'enc0.conv1', kept: 3, total: 32 }] });
      store.updateRunStatus(run.id, 'completed');
      store.exportRun(run.id, 'bundle', path.join(work, 'bundle'));
      return [new TextEncoder().encode(JSON.stringify(readBundle(path.join(work, 'bundle'))))];
    } finally {
      store.dispose();
      rmSync(work, { recursive: true, force: true });
    }
  },
  mutate(input, random, corpus) {
    let files: BundleFiles;
    try {
      files = JSON.parse(new TextDecoder().decode(input)) as BundleFiles;
    } catch {
      return mutateBytes(input, random, corpus);
    }
    const names = Object.keys(files);
    if (!names.length || random.next() < 0.2) return mutateBytes(input, random, corpus);
    const name =
      names.includes('manifest.json') && random.next() < 0.6 ? 'manifest.json' : random.pick(names);
    let text = files[name];
    try {
      text = JSON.stringify(mutateJson(JSON.parse(text), random));
    } catch {
      text = new TextDecoder('latin1').decode(mutateBytes(new TextEncoder().encode(text), random));
    }
    return new TextEncoder().encode(JSON.stringify({ ...files, [name]: text }));
  },
  async run(input, scratch) {
    let files: unknown;
    try {
      files = JSON.parse(new TextDecoder().decode(input));
    } catch {
      return undefined; // not a bundle at all: nothing to import
    }
    if (!files || typeof files !== 'object') return undefined;
    const bundle = path.join(scratch, 'bundle');
    mkdirSync(path.join(bundle, 'artifacts'), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      if (SAFE_NAME.test(name) && typeof text === 'string') {
        mkdirSync(path.dirname(path.join(bundle, name)), { recursive: true });
        writeFileSync(path.join(bundle, name), Buffer.from(text, 'latin1'));
      }
    }
    const store = openStore({ dataDir: path.join(scratch, 'data') });
    try {
      return store.importBundle(bundle);
    } finally {
      store.dispose();
    }
  },
  isSpecificError: isErrorOf(StoreError),
};
