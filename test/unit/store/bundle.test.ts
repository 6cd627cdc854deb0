import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleError, openStore, type Store } from '../../../engine/store/index.js';
import { useTempDirs } from './temp.js';

const tempDir = useTempDirs();
const open: Store[] = [];
afterEach(() => {
  for (const store of open.splice(0)) store.dispose();
});
function newStore(dir: string): Store {
  const store = openStore({ dataDir: dir });
  open.push(store);
  return store;
}

function listFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** A finished training run with everything a bundle carries. */
function sampleRun(store: Store): number {
  const parent = store.createRun({
    task: 'prune',
    net: 'unet3d-shapenet',
    method: 'ranp-f',
    sparsity: 0.7824,
    lambda: 11,
    seed: 3,
    config: { lambda: 11 },
  });
  const run = store.createRun({
    task: 'train',
    net: 'unet3d-shapenet',
    method: 'ranp-f',
    sparsity: 0.7824,
    lambda: 11,
    seed: 3,
    role: 'pruned',
    parentRunId: parent.id,
    config: { optimizer: { name: 'sgd', lr: 0.1, nesterov: true }, note: 'comma, "quote"\nnewline' },
    backend: 'cpu',
    device: 'x86_64',
    name: 'pruned, run',
    status: 'running',
  });
  store.recordPruneReport(run.id, {
    sparsity: 0.7824,
    layers: [{ layer: 'enc0.conv1', kept: 7, total: 32, flopsBefore: 1e9, flopsAfter: 2.1e8, note: 'x' }],
  });
  for (let epoch = 0; epoch < 3; epoch++) {
    store.recordEpoch(run.id, {
      epoch,
      metrics: [
        { name: 'loss', value: 1 / (epoch + 3), step: epoch * 10 },
        { name: 'part, mIoU', value: 0.1 * epoch + 1e-17 },
      ],
      system: { samplesPerSecond: 1.25 + epoch, peakMemoryBytes: 123456789 },
      checkpoint: { source: { bytes: crypto.randomBytes(1000 + epoch) } },
    });
  }
  store.addArtifact(run.id, {
    kind: 'prediction',
    name: 'shape-0.pred',
    source: { bytes: Buffer.from('labels') },
  });
  store.updateRunStatus(run.id, 'completed');
  return run.id;
}

/** Everything observable about a run except its local id, its parent's local id and its origin. */
function snapshot(store: Store, runId: number) {
  const { id: _id, parentRunId: _parent, origin: _origin, ...run } = store.getRun(runId);
  return {
    run,
    report: store.getPruneReport(runId),
    metrics: store.metrics(runId).map(({ runId: _r, ...m }) => m),
    system: store.systemMetrics(runId).map(({ runId: _r, ...s }) => s),
    artifacts: store.listArtifacts(runId).map((a) => ({
      kind: a.kind,
      name: a.name,
      epoch: a.epoch,
      hash: a.hash,
      size: a.size,
      bytes: store.readArtifact(runId, a.name).toString('hex'),
    })),
  };
}

describe('run bundles', () => {
  it('round-trips a run to another store, equal to the original', () => {
    const base = tempDir();
    const source = newStore(path.join(base, 'a'));
    const runId = sampleRun(source);
    const bundle = path.join(base, 'bundle');
    source.exportRun(runId, 'bundle', bundle);
    expect(listFiles(bundle)).toEqual([
      'artifacts/epoch-0.ckpt',
      'artifacts/epoch-1.ckpt',
      'artifacts/epoch-2.ckpt',
      'artifacts/shape-0.pred',
      'config.json',
      'manifest.json',
      'metrics.csv',
      'prune-report.json',
      'system-metrics.json',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'ranp-run-bundle', version: 1 });
    // Hashes in the manifest are the files' sha256, checked here with a second implementation.
    for (const f of manifest.files) {
      expect(
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(bundle, f.path)))
          .digest('hex'),
      ).toBe(f.sha256);
    }

    const before = listFiles(base);
    const target = newStore(path.join(base, 'b'));
    const { run: imported, alreadyImported } = target.importBundle(bundle);
    expect(alreadyImported).toBe(false);
    expect(snapshot(target, imported.id)).toEqual(snapshot(source, runId));
    // Made in the source store (origin null there); here it came from a bundle of that host.
    expect(source.getRun(runId).origin).toBeNull();
    expect(imported.origin).toBe(`bundle from ${source.getRun(runId).host}`);
    // The parent was not imported, so the link is dropped rather than pointing at a wrong run.
    expect(imported.parentRunId).toBeNull();
    // Nothing written outside the target store.
    const added = listFiles(base).filter((f) => !before.includes(f));
    expect(added.every((f) => f.startsWith(`b${path.sep}`))).toBe(true);
    // Importing it again adds nothing and names the run already here.
    const filesAfterFirst = listFiles(base);
    const again = target.importBundle(bundle);
    expect(again.alreadyImported).toBe(true);
    expect(again.run.id).toBe(imported.id);
    expect(target.listRuns()).toHaveLength(1);
    expect(listFiles(base)).toEqual(filesAfterFirst);
  });

  it('carries an origin given at export, and again when re-exported from the importing store', () => {
    const base = tempDir();
    const source = newStore(path.join(base, 'a'));
    const runId = sampleRun(source);
    source.exportRun(runId, 'bundle', path.join(base, 'first'), { origin: "study 'grid' task 3/4" });
    const middle = newStore(path.join(base, 'b'));
    const { run } = middle.importBundle(path.join(base, 'first'));
    expect(run.origin).toBe("study 'grid' task 3/4");
    middle.exportRun(run.id, 'bundle', path.join(base, 'second'));
    expect(newStore(path.join(base, 'c')).importBundle(path.join(base, 'second')).run.origin).toBe(
      "study 'grid' task 3/4",
    );
  });

  it('links the parent when it was imported first', () => {
    const base = tempDir();
    const source = newStore(path.join(base, 'a'));
    const runId = sampleRun(source);
    const parentId = source.getRun(runId).parentRunId!;
    source.exportRun(parentId, 'bundle', path.join(base, 'parent'));
    source.exportRun(runId, 'bundle', path.join(base, 'child'));
    const target = newStore(path.join(base, 'b'));
    const { run: parent } = target.importBundle(path.join(base, 'parent'));
    expect(target.importBundle(path.join(base, 'child')).run.parentRunId).toBe(parent.id);
  });

  it('imports a folder of bundles parents first, whatever their names', () => {
    const base = tempDir();
    const source = newStore(path.join(base, 'a'));
    const runId = sampleRun(source);
    const parentId = source.getRun(runId).parentRunId!;
    // 'a-child' sorts before 'z-parent': only the parent-first order keeps the link.
    source.exportRun(runId, 'bundle', path.join(base, 'bundles', 'a-child'));
    source.exportRun(parentId, 'bundle', path.join(base, 'bundles', 'nested', 'z-parent'));
    const target = newStore(path.join(base, 'b'));
    const results = target.importBundles([path.join(base, 'bundles')]);
    expect(results.map((r) => path.basename(r.bundle))).toEqual(['z-parent', 'a-child']);
    expect(results[1].run.parentRunId).toBe(results[0].run.id);
    expect(target.importBundles([path.join(base, 'bundles')]).map((r) => r.alreadyImported)).toEqual([
      true,
      true,
    ]);
    expect(target.listRuns()).toHaveLength(2);
    expect(() => target.importBundles([path.join(base, 'missing')])).toThrow(/missing is not a folder/);
  });

  describe('refuses unsafe or damaged bundles before writing anything', () => {
    function prepared() {
      const base = tempDir();
      const source = newStore(path.join(base, 'a'));
      const runId = sampleRun(source);
      const bundle = path.join(base, 'bundle');
      source.exportRun(runId, 'bundle', bundle);
      const manifestFile = path.join(bundle, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      const target = newStore(path.join(base, 'b'));
      const attempt = () => {
        const before = listFiles(base);
        let error: unknown;
        try {
          target.importBundle(bundle);
        } catch (e) {
          error = e;
        }
        expect(listFiles(base)).toEqual(before);
        expect(target.listRuns()).toEqual([]);
        return error;
      };
      const save = () => fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      return { base, bundle, manifest, save, attempt };
    }

    it("a '..' path, even with a matching hash", () => {
      const { base, manifest, save, attempt } = prepared();
      const outside = path.join(base, 'outside.txt');
      fs.writeFileSync(outside, 'secret');
      manifest.files.push({
        path: '../outside.txt',
        sha256: crypto.createHash('sha256').update('secret').digest('hex'),
        size: 6,
      });
      manifest.artifacts.push({ file: '../outside.txt', kind: 'other', name: 'stolen', epoch: null });
      save();
      const error = attempt();
      expect(error).toBeInstanceOf(BundleError);
      expect((error as Error).message).toMatch(/file '\.\.\/outside\.txt' refused: it contains '\.\.'/);
    });

    it('an absolute path', () => {
      const { manifest, save, attempt } = prepared();
      manifest.files[0].path = '/etc/passwd';
      save();
      expect((attempt() as Error).message).toMatch(/file '\/etc\/passwd' refused: it is absolute/);
    });

    it('a symbolic link in place of a file', () => {
      const { base, bundle, attempt } = prepared();
      const member = path.join(bundle, 'artifacts', 'shape-0.pred');
      const elsewhere = path.join(base, 'elsewhere.pred');
      fs.copyFileSync(member, elsewhere);
      fs.rmSync(member);
      fs.symlinkSync(elsewhere, member);
      expect((attempt() as Error).message).toMatch(
        /file 'artifacts\/shape-0\.pred' refused: it is a symbolic link/,
      );
    });

    it('an altered file', () => {
      const { bundle, attempt } = prepared();
      const member = path.join(bundle, 'artifacts', 'epoch-1.ckpt');
      const bytes = fs.readFileSync(member);
      bytes[10] ^= 0xff;
      fs.writeFileSync(member, bytes);
      expect((attempt() as Error).message).toMatch(
        /file 'artifacts\/epoch-1\.ckpt' refused: sha256 is \w+, expected \w+ \(content altered\)/,
      );
    });

    it('a member that fails its schema, even with a matching hash', () => {
      const { bundle, manifest, save, attempt } = prepared();
      const file = path.join(bundle, 'system-metrics.json');
      const text = JSON.stringify([{ epoch: 'one', wallTime: 1 }]);
      fs.writeFileSync(file, text);
      Object.assign(
        manifest.files.find((f: { path: string }) => f.path === 'system-metrics.json'),
        {
          sha256: crypto.createHash('sha256').update(text).digest('hex'),
          size: Buffer.byteLength(text),
        },
      );
      save();
      expect((attempt() as Error).message).toMatch(
        /system-metrics.json field '0.epoch': Invalid input: expected number/,
      );
    });

    it('a missing manifest or an artifact name with a folder in it', () => {
      const { bundle, manifest, save, attempt } = prepared();
      manifest.artifacts[0].name = 'sub/dir';
      save();
      expect((attempt() as Error).message).toMatch(/artifact name 'sub\/dir' is not a plain file name/);
      fs.rmSync(path.join(bundle, 'manifest.json'));
      expect((attempt() as Error).message).toMatch(/is not a run bundle: manifest.json is missing/);
    });
  });

  it('exports JSON and CSV that hold the same values', () => {
    const base = tempDir();
    const store = newStore(path.join(base, 'a'));
    const runId = sampleRun(store);
    const [jsonFile] = store.exportRun(runId, 'json', path.join(base, 'run.json'));
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
    expect(json.metrics).toHaveLength(6);
    expect(json.run.config.note).toBe('comma, "quote"\nnewline');
    const files = store.exportRun(runId, 'csv', path.join(base, 'csv'));
    expect(files.map((f) => path.basename(f))).toEqual([
      'runs.csv',
      'metrics.csv',
      'prune_layers.csv',
      'system_metrics.csv',
    ]);
    // runs.csv ends with the origin: empty for a run made here.
    const runsCsv = fs.readFileSync(path.join(base, 'csv', 'runs.csv'), 'utf8').split('\n');
    expect(runsCsv[0].endsWith(',environment_json,origin')).toBe(true);
    expect(runsCsv[1].endsWith(',')).toBe(true);
    const metricsCsv = fs.readFileSync(path.join(base, 'csv', 'metrics.csv'), 'utf8');
    expect(metricsCsv.split('\n')[0]).toBe('run_id,step,epoch,name,value,wall_time');
    expect(metricsCsv).toContain(`${runId},1,1,"part, mIoU",0.10000000000000002,`);
    expect(() => store.exportRun(runId, 'bundle', path.join(base, 'csv'))).toThrow(
      /already exists and is not empty/,
    );
  });
});
