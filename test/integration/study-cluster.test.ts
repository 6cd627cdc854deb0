import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runSummary } from '../../engine/host/handlers/run-summary.js';
import { openStore } from '../../engine/store/index.js';
import { RUN_COLUMNS } from '../../renderer/run-columns.js';

// A 4-task study (method × seed over a tiny ShapeNet config on the bundled sample) exported by the
// real `ranp` entry (bin/ranp.js), every task run by executing the generated SLURM array script
// with bash as a SLURM node would (SLURM_ARRAY_TASK_ID=i; the #SBATCH lines are comments to bash),
// the bundles imported into a desktop store twice: the second import adds nothing.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RANP = path.join(ROOT, 'bin', 'ranp.js');
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-study-'));
const studyDir = path.join(base, 'study');
const desktop = path.join(base, 'desktop');
// What a cluster node has: `ranp` on PATH (the Dockerfile's image puts it there too).
const bin = path.join(base, 'bin');
const PATH = `${bin}${path.delimiter}${process.env.PATH}`;
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function ranp(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [RANP, ...args], {
    encoding: 'utf8',
    cwd: base,
    env: { ...process.env, PATH, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const GRID = { method: ['ranp-f', 'random'], sparsity: [0.3], seed: [0, 1] };

beforeAll(() => {
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'ranp'), `#!/bin/sh\nexec "${process.execPath}" "${RANP}" "$@"\n`, {
    mode: 0o755,
  });
  fs.writeFileSync(
    path.join(base, 'experiment.yaml'),
    [
      'task: shapenet',
      `data: ${path.join(ROOT, 'assets/samples/shapenet')}`,
      'width: 0.25',
      'inputSize: 8',
      'trainUnpruned: false',
      'prune: { scoringSamples: 2 }',
      'train: { epochs: 1, batchSize: 2, samplesPerEpoch: 2 }',
      'eval: { samples: 2 }',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(base, 'study.yaml'),
    `name: tiny-grid\nconfig: experiment.yaml\ngrid: ${JSON.stringify(GRID)}\n`,
  );
});

describe('a study on a cluster: job array → bundles → desktop store', () => {
  it('ranp study export writes the resolved study, a SLURM array script and a Kubernetes Indexed Job', () => {
    const exported = ranp([
      'study',
      'export',
      'study.yaml',
      '--out',
      studyDir,
      '--cpus',
      '2',
      '--memory-gib',
      '3',
    ]);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toContain("study 'tiny-grid': 4 task(s)");

    const study = JSON.parse(fs.readFileSync(path.join(studyDir, 'study.json'), 'utf8'));
    expect(study.config.task).toBe('shapenet');
    expect(study.cells).toEqual([
      { index: 0, method: 'ranp-f', sparsity: 0.3, seed: 0 },
      { index: 1, method: 'random', sparsity: 0.3, seed: 0 },
      { index: 2, method: 'ranp-f', sparsity: 0.3, seed: 1 },
      { index: 3, method: 'random', sparsity: 0.3, seed: 1 },
    ]);

    const script = fs.readFileSync(path.join(studyDir, 'slurm-array.sh'), 'utf8');
    const sbatch = Object.fromEntries(
      [...script.matchAll(/^#SBATCH --([\w-]+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(sbatch).toEqual({
      'job-name': 'ranp-tiny-grid',
      array: '0-3',
      'cpus-per-task': '2',
      mem: '3G',
      time: '24:00:00',
      chdir: studyDir,
      output: `${studyDir}/logs/task-%a.log`,
    });
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain(
      `\nexec ranp study run-task --study '${studyDir}/study.json' --index "$SLURM_ARRAY_TASK_ID"\n`,
    );
    expect(fs.statSync(path.join(studyDir, 'slurm-array.sh')).mode & 0o111).not.toBe(0);
    expect(fs.statSync(path.join(studyDir, 'logs')).isDirectory()).toBe(true);

    const job = parseYaml(fs.readFileSync(path.join(studyDir, 'k8s-indexed-job.yaml'), 'utf8'));
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'ranp-tiny-grid' } });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({
      image: 'ranp-studio:latest',
      command: ['ranp', 'study', 'run-task', '--study', '/study/study.json'],
      resources: { requests: { cpu: '2', memory: '3Gi' }, limits: { memory: '3Gi' } },
      volumeMounts: [{ name: 'study', mountPath: '/study' }],
    });
    expect(pod.volumes).toEqual([{ name: 'study', persistentVolumeClaim: { claimName: 'ranp-study' } }]);
  });

  it('runs every array task through the generated script; each writes its bundle', () => {
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      const r = spawnSync('bash', [path.join(studyDir, 'slurm-array.sh')], {
        encoding: 'utf8',
        cwd: studyDir,
        env: { ...process.env, PATH, SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_JOB_ID: '4242' },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`study 'tiny-grid' task ${i}/4`);
      console.info(`task ${i}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const bundles = fs.readdirSync(path.join(studyDir, 'bundles', `task-${i}`));
      expect(bundles).toHaveLength(1);
      expect(fs.existsSync(path.join(studyDir, 'bundles', `task-${i}`, bundles[0], 'manifest.json'))).toBe(
        true,
      );
    }
    // No half-written task folder is left behind.
    expect(fs.readdirSync(path.join(studyDir, 'bundles')).sort()).toEqual([
      'task-0',
      'task-1',
      'task-2',
      'task-3',
    ]);
  }, 900_000); // 4 training processes: 3–20 s each on 2 shared cores

  it("a task already done does nothing (the manifest's command, index from JOB_COMPLETION_INDEX); a bad index is refused", () => {
    const again = ranp(['study', 'run-task', '--study', path.join(studyDir, 'study.json')], {
      JOB_COMPLETION_INDEX: '2',
    });
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('task 2 already done');
    const bad = ranp(['study', 'run-task', '--study', path.join(studyDir, 'study.json'), '--index', '4']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--index is '4': study 'tiny-grid' has tasks 0 to 3");
  });

  it('ranp runs import gathers the bundles once; importing again adds nothing and says so', () => {
    const first = ranp(['runs', 'import', path.join(studyDir, 'bundles'), '--data-dir', desktop]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/4 imported, 0 already imported\s*$/);
    const second = ranp(['runs', 'import', path.join(studyDir, 'bundles'), '--data-dir', desktop]);
    expect(second.code, second.err).toBe(0);
    expect(second.out.match(/^already imported: run [0-9a-f-]{36} is run [1-4]$/gm)).toHaveLength(4);
    expect(second.out).toMatch(/0 imported, 4 already imported\s*$/);

    const store = openStore({ dataDir: desktop });
    try {
      const runs = store.listRuns();
      expect(runs).toHaveLength(4);
      // One completed pruned training run per grid cell, with the cell's method and seed.
      expect(runs.map((r) => `${r.method} ${r.sparsity} ${r.seed} ${r.role} ${r.status}`).sort()).toEqual([
        'random 0.3 0 pruned completed',
        'random 0.3 1 pruned completed',
        'ranp-f 0.3 0 pruned completed',
        'ranp-f 0.3 1 pruned completed',
      ]);
      const host = os.hostname();
      for (const run of runs) {
        const cell = run.seed! * 2 + GRID.method.indexOf(run.method!);
        expect(run.origin).toBe(
          `study 'tiny-grid' task ${cell}/4 (method ${run.method}, sparsity 0.3, seed ${run.seed}) on ${host} (SLURM job 4242_${cell})`,
        );
        // The app's runs table shows it in its origin column (runs.list → RunSummary.origin).
        const summary = runSummary(store, run);
        expect(summary.origin).toBe(run.origin);
        // …and Compare's accuracy-against-cost chart has what it plots: the cost and the headline metric.
        expect(summary.resources?.flops).toBeGreaterThan(0);
        expect(summary.headline?.best?.value).toBeGreaterThanOrEqual(0);
        expect(RUN_COLUMNS.find((c) => c.id === 'origin')!.text(summary)).toBe(run.origin);
        expect(store.listArtifacts(run.id).map((a) => a.name)).toEqual(
          expect.arrayContaining(['net.json', 'best.ckpt']),
        );
      }
    } finally {
      store.dispose();
    }
    const list = ranp(['runs', 'list', '--data-dir', desktop]);
    expect(list.out.match(/study 'tiny-grid' task \d\/4/g)).toHaveLength(4);
    expect(ranp(['runs', 'show', '1', '--data-dir', desktop]).out).toMatch(
      /^origin\s+study 'tiny-grid' task \d\/4/m,
    );
  });
});
