import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../engine/backend/index.js';
import { loadNativeAddon } from '../../engine/backend/native-addon.js';
import { openStore } from '../../engine/store/index.js';
import type { RunRecord } from '../../engine/store/types.js';
import { digestOf, filesOf } from './data-digest.js';
import { connectClient, SAMPLES_DIR, startTestEngine, waitFor } from './host-clients.js';
import { ranp } from '../unit/cli/run-ranp.js';

// What a stored run records about where it ran and on which data, through the real `ranp` command
// line (runCommandLine, as bin/ranp.js runs it) against a real SQLite store and real files. Data
// hashes are worked out from the files themselves with node:crypto (./data-digest.ts).

const dir = mkdtempSync(join(tmpdir(), 'ranp-run-record-'));
const storeDir = join(dir, 'store');
const data = join(dir, 'shapenet');
cpSync(join(import.meta.dirname, '../../assets/samples/shapenet'), data, { recursive: true });
const root = join(data, 'shapenetcore_partanno_segmentation_benchmark_v0');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storedRuns(): RunRecord[] {
  const store = openStore({ dataDir: storeDir });
  try {
    return store.listRuns({ task: 'prune' });
  } finally {
    store.dispose();
  }
}

/** The value printed for `key` in the environment section of `ranp runs show`. */
function shown(out: string, key: string): string | undefined {
  const section = out.slice(out.indexOf('\nenvironment\n'));
  return new RegExp(`^  ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(.*)$`, 'm').exec(section)?.[1];
}

describe('stored prune runs and their environment (ranp prune, runs list, runs show)', () => {
  it('ranp prune stores a prune run listed with λ and backend; runs show gives its environment and data fingerprint', async () => {
    const pruned = await ranp(
      'prune',
      ...['--net', 'unet3d-shapenet', '--width', '0.25', '--input', '16', '--sparsity', '0.5'],
      ...['--data', data, '--samples', '1', '--data-dir', storeDir],
    );
    expect(pruned.code).toBe(0);
    const [run] = storedRuns();
    expect(pruned.out).toContain(`stored as run ${run.id}`);
    const backend = (await selectBackend()).chosen;
    expect([run.task, run.status, run.method, run.lambda, run.sparsity, run.backend]).toEqual([
      'prune',
      'completed',
      'ranp-f',
      11, // ShapeNet's default λ (engine/domain/tasks.ts), which RANP-f used
      0.5,
      backend,
    ]);
    expect(run.config).toMatchObject({
      net: 'unet3d-shapenet',
      data: data,
      samples: 1,
      inputSize: [16, 16, 16],
    });

    const listed = await ranp('runs', 'list', '--task', 'prune', '--data-dir', storeDir);
    expect(listed.code).toBe(0);
    const [header, , row] = listed.out.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(expect.arrayContaining(['λ', 'backend']));
    expect(row.trim().split(/\s+/).slice(0, 8)).toEqual([
      String(run.id),
      'completed',
      'prune',
      'unet3d-shapenet',
      'ranp-f',
      '0.5',
      '11',
      backend,
    ]);

    const show = await ranp('runs', 'show', String(run.id), '--data-dir', storeDir);
    expect(show.code).toBe(0);
    const native = loadNativeAddon();
    const files = filesOf(root);
    expect(shown(show.out, 'backend.name')).toBe(backend);
    expect(shown(show.out, 'native.loaded')).toBe(String(native.loaded));
    if (native.loaded) {
      expect(shown(show.out, 'native.oneDnnVersion')).toBe(native.info.oneDnnVersion);
      expect(shown(show.out, 'native.isa')).toBe(native.info.isa);
      expect(shown(show.out, 'native.threads')).toBe(String(native.info.threads));
    }
    expect(shown(show.out, 'threads.ompNumThreads')).toBe(process.env.OMP_NUM_THREADS ?? 'null');
    expect(shown(show.out, 'versions.node')).toBe(process.versions.node);
    expect(shown(show.out, 'versions.tfjs')).toBe(tf.version.tfjs);
    expect(shown(show.out, 'data.data.root')).toBe(root);
    expect(shown(show.out, 'data.data.fileCount')).toBe(String(files.length));
    expect(shown(show.out, 'data.data.totalBytes')).toBe(String(files.reduce((a, f) => a + f.size, 0)));
    expect(shown(show.out, 'data.data.digest')).toBe(digestOf(files));

    // The file list itself is an artifact of the run: each file's size and sha256 as computed here.
    const store = openStore({ dataDir: storeDir });
    try {
      const list = JSON.parse(store.readArtifact(run.id, 'data-files-data.json').toString('utf8')) as {
        files: { path: string; size: number; sha256: string; partial: boolean }[];
      };
      expect(list.files.map(({ path, size, sha256 }) => ({ path, size, sha256 }))).toEqual(files);
      expect(store.listArtifacts(run.id).map((a) => a.name)).toEqual(
        expect.arrayContaining(['report.json', 'pruned-net.json', 'scores.ranpscores']),
      );
      expect(store.getPruneReport(run.id)?.layers.length).toBeGreaterThan(5);
    } finally {
      store.dispose();
    }

    // One changed data file: a new fingerprint on the next run; the earlier run keeps its own.
    const table = readdirSync(join(root, '04379243', 'points'))[0];
    const file = join(root, '04379243', 'points', table);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/\d(?=\s*$)/, (d) => String((Number(d) + 1) % 10)),
    );
    const again = await ranp(
      'prune',
      ...['--net', 'unet3d-shapenet', '--width', '0.25', '--input', '16', '--sparsity', '0.5'],
      ...['--data', data, '--samples', '1', '--data-dir', storeDir],
    );
    expect(again.code).toBe(0);
    const [first, second] = storedRuns();
    const digest = (r: RunRecord) => (r.environment?.data as { data: { digest: string } }).data.digest;
    expect(digest(first)).toBe(digestOf(files));
    expect(digest(second)).toBe(digestOf(filesOf(root)));
    expect(digest(second)).not.toBe(digest(first));
    expect(statSync(file).size).toBe(files.find((f) => f.path === `04379243/points/${table}`)!.size);
  });

  it('an all-zero score set fails ranp prune and is stored as a failed prune run with the reason', async () => {
    const failedBefore = storedRuns().filter((r) => r.status === 'failed').length;
    const result = await ranp(
      'prune',
      ...['--net', 'mobilenetv2-3d', '--width', '0.25', '--synthetic', '--samples', '1'],
      ...['--input', '16x32x32', '--sparsity', '0.3', '--data-dir', storeDir],
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/every weight score is 0/);
    const failed = storedRuns().filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(failedBefore + 1);
    const run = failed.at(-1)!;
    expect([run.net, run.method, run.lambda, run.backend]).toEqual([
      'mobilenetv2-3d',
      'ranp-f',
      80, // UCF101's default λ
      (await selectBackend()).chosen,
    ]);
    expect(run.error).toMatch(
      /^every weight score is 0 \(\d+ weights in \d+ layers of mobilenetv2-3d, synthetic scores/,
    );
    expect(run.endedAt).not.toBeNull();
    const listed = await ranp(
      'runs',
      'list',
      '--task',
      'prune',
      '--status',
      'failed',
      '--json',
      '--data-dir',
      storeDir,
    );
    expect((JSON.parse(listed.out) as RunRecord[]).map((r) => r.id)).toContain(run.id);
  });
});

describe('data check on a damaged ShapeNet folder', () => {
  it('reports NaN/Inf coordinates with their count and first line, a one-point cloud and labels outside the parts', async () => {
    const damaged = join(dir, 'damaged');
    cpSync(join(import.meta.dirname, '../../assets/samples/shapenet'), damaged, { recursive: true });
    const base = join(damaged, 'shapenetcore_partanno_segmentation_benchmark_v0', '04379243');
    const [nanShape, flatShape, labelShape] = readdirSync(join(base, 'points')).sort();
    const nanFile = join(base, 'points', nanShape);
    const lines = readFileSync(nanFile, 'utf8').trim().split('\n');
    // Lines 3 and 7: one NaN, one Infinity, one beyond float32 (would read as Inf): 3 of 3·n coordinates.
    lines[2] = `nan ${lines[2].split(' ')[1]} Infinity`;
    lines[6] = `${lines[6].split(' ')[0]} 1e39 ${lines[6].split(' ')[2]}`;
    writeFileSync(nanFile, `${lines.join('\n')}\n`);
    const flatFile = join(base, 'points', flatShape);
    const count = readFileSync(flatFile, 'utf8').trim().split('\n').length;
    writeFileSync(flatFile, '0.1 0.2 0.3\n'.repeat(count));
    const labelFile = join(base, 'points_label', labelShape.replace(/\.pts$/, '.seg'));
    const labels = readFileSync(labelFile, 'utf8').trim().split('\n');
    labels[0] = '9';
    labels[4] = '0';
    writeFileSync(labelFile, `${labels.join('\n')}\n`);

    const result = await ranp('data', 'check', damaged);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      `${nanFile}: 3 of ${3 * lines.length} coordinates are not finite (1 NaN, 2 ±Inf or beyond float32), the first at line 3 (x)`,
    );
    expect(result.out).toContain(
      `${flatFile}: all ${count} points are at (0.1, 0.2, 0.3): the cloud has no extent`,
    );
    expect(result.out).toMatch(
      new RegExp(
        `${labelFile.replace(/[.\\]/g, '\\$&')}: 2 of ${labels.length} labels are not parts of Table, the first at line 1: part '9' is outside 1\\.\\.3 \\(Table\\)`,
      ),
    );
    expect(result.out).toMatch(/problems \(3\):/);
  });
});

describe("the app's prune (an experiment job over the real engine host)", () => {
  it('with every weight score 0 the job fails and its runs are stored failed with the reason, shown by runs.get', async () => {
    const engine = await startTestEngine();
    try {
      const app = await connectClient(engine.server);
      // MobileNetV2 at 16×32² on the UCF101 sample scores every weight 0 (see all-zero-scores.test.ts).
      const { job } = await app.client.request('experiment.start', {
        task: 'ucf101',
        data: join(SAMPLES_DIR, 'ucf101'),
        net: 'mobilenetv2-3d',
        inputSize: [16, 32, 32],
        width: 0.25,
        trainUnpruned: true,
        prune: { method: 'ranp-f', sparsity: 0.3, lambda: 80, scoringSamples: 1 },
        train: { epochs: 1, samplesPerEpoch: 1 },
      });
      expect(job.runIds).toHaveLength(2);
      const ended = await waitFor(
        'the job to end',
        async () =>
          (await app.client.request('jobs.list', {})).jobs.find(
            (j) => j.id === job.id && j.state !== 'running',
          ),
        150_000,
      );
      expect(ended.state).toBe('failed');
      expect(ended.error).toMatch(/^every weight score is 0 /);
      for (const id of job.runIds) {
        const run = await app.client.request('runs.get', { id });
        expect([run.status, run.error]).toEqual(['failed', ended.error]);
      }
      await app.close();
      const store = openStore({ dataDir: engine.dataDir });
      try {
        for (const id of job.runIds)
          expect(store.getRun(Number(id)).error).toMatch(/'ranp-f' cannot rank neurons/);
      } finally {
        store.dispose();
      }
    } finally {
      await engine.stop();
    }
  });
});
