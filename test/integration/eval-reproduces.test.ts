import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalCommand } from '../../engine/cli/commands/eval.js';
import { runExperiment } from '../../engine/experiment/index.js';
import { openStore } from '../../engine/store/index.js';
import { digestOf, filesOf } from './data-digest.js';
import { writeTinyBrats } from './train-fixtures.js';

// `ranp eval --run ID` on a trained run's validation split must give the metrics its experiment
// stored: the same crop, overlap, sample limit and normalization, from the run's own config.

const dir = mkdtempSync(join(tmpdir(), 'ranp-eval-'));
const data = join(dir, 'brats');
const storeDir = join(dir, 'store');
beforeAll(() => writeTinyBrats(data, 3, 20));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ranp eval reproduces the experiment', () => {
  it("gives the stored run's final metrics, on the backend the run chose", async () => {
    const store = openStore({ dataDir: storeDir });
    let runIds: number[];
    try {
      // 20³ volumes, 16³ patches and a 12³ validation crop: eval must crop as the run did.
      const result = await runExperiment(
        {
          task: 'brats',
          data,
          width: 0.125,
          inputSize: 16,
          seed: 4,
          backend: 'cpu',
          prune: { sparsity: 0.3, scoringSamples: 1 },
          train: { epochs: 1, samplesPerEpoch: 2 },
          eval: { overlap: 0.25, cropSize: [12, 12, 12], writePredictions: false },
        },
        { store },
      );
      runIds = [result.unpruned!.runId!, result.pruned.runId!];
    } finally {
      store.dispose();
    }
    for (const runId of runIds) {
      let out = '';
      const code = await evalCommand.run(['--run', String(runId), '--data-dir', storeDir, '--json'], {
        out: (text) => (out += text),
        err: () => {},
        interactive: false,
      });
      expect(code).toBe(0);
      const evaluated = JSON.parse(out) as { run: number; metrics: Record<string, number> };
      const check = openStore({ dataDir: storeDir });
      try {
        const stored = Object.fromEntries(
          check
            .metrics(runId)
            .filter((m) => m.name.startsWith('final '))
            .map((m) => [m.name.slice('final '.length), m.value]),
        );
        expect(Object.keys(stored).length).toBeGreaterThan(2);
        expect(evaluated.metrics).toEqual(stored);
        const evalRun = check.getRun(evaluated.run);
        expect([evalRun.task, evalRun.backend, evalRun.parentRunId]).toEqual(['evaluate', 'cpu', runId]);
        // Both the training run and its evaluation recorded the backend and the data they read.
        const digest = digestOf(filesOf(data));
        for (const r of [check.getRun(runId), evalRun]) {
          expect(r.environment).toMatchObject({
            backend: { name: 'cpu', nativeKernels: false },
            versions: { node: process.versions.node },
            data: { data: { root: data, digest, fileCount: filesOf(data).length } },
          });
        }
      } finally {
        check.dispose();
      }
    }
  });
});
