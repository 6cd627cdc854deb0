import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EvaluationReports } from '../../../engine/host/evaluation-reports.js';
import { openStore } from '../../../engine/store/index.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-evaluation-reports-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('evaluation reports', () => {
  it('reads a run’s report once for its per-sample metrics and its predictions’ sample ids (none before it is stored)', () => {
    const store = openStore({ dataDir });
    try {
      const run = store.createRun({ task: 'train', dataset: 'shapenet', net: 'unet3d-shapenet', config: {} });
      const bytes = (text: string) => ({ bytes: Buffer.from(text) });
      store.addArtifact(run.id, { kind: 'prediction', name: '03636649_lamp.nii.gz', source: bytes('a') });
      store.addArtifact(run.id, { kind: 'prediction', name: 'extra.nii', source: bytes('b') });
      const reports = new EvaluationReports();
      // No report yet: no metrics, and every prediction keeps its file's name.
      expect(reports.perSample(store, run.id)).toEqual([]);
      expect([...reports.predictionsBySample(store, run.id).keys()]).toEqual(['03636649_lamp', 'extra']);

      const report = {
        // A NaN metric is stored as null: left out.
        perSample: [{ id: '03636649/lamp', metrics: { iou: 0.25, dice: null } }],
      };
      store.addArtifact(run.id, {
        kind: 'report',
        name: 'evaluation.json',
        source: bytes(JSON.stringify(report)),
      });
      const read = vi.spyOn(store, 'readArtifact');
      expect(reports.perSample(store, run.id)).toEqual([{ id: '03636649/lamp', metrics: { iou: 0.25 } }]);
      const predictions = reports.predictionsBySample(store, run.id);
      expect([...predictions.keys()]).toEqual(['03636649/lamp', 'extra']);
      expect(predictions.get('03636649/lamp')!.name).toBe('03636649_lamp.nii.gz');
      reports.perSample(store, run.id);
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      store.dispose();
    }
  });
});
