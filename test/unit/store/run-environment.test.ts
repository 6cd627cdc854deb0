import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../engine/store/database.js';
import { migrate, schemaVersion } from '../../../engine/store/migrations/index.js';
import { openStore } from '../../../engine/store/index.js';
import { useTempDirs } from './temp.js';

// The environment column (migration 004): stored beside the config, not in it, so runs on two
// machines that differ only in seed are still one seed group.

const tempDir = useTempDirs();
const here = { backend: { name: 'native' }, data: { data: { digest: 'a'.repeat(64) } } };
const there = { backend: { name: 'cpu' }, data: { data: { digest: 'b'.repeat(64) } } };

describe('run environment', () => {
  it('is stored with the run, replaced when a queued run is claimed, and leaves seed groups alone', () => {
    const store = openStore({ dataDir: tempDir() });
    try {
      const make = (seed: number, environment: typeof here) =>
        store.createRun({
          task: 'train',
          net: 'n',
          method: 'ranp-f',
          sparsity: 0.5,
          seed,
          config: { seed, lr: 0.1 },
          environment,
          status: 'running',
        });
      const a = make(1, here);
      const b = make(2, there);
      expect(store.getRun(a.id).environment).toEqual(here);
      expect(store.getRun(a.id).config).toEqual({ seed: 1, lr: 0.1 });
      const groups = store.groupBySeed({ task: 'train' });
      expect(groups.map((g) => g.runIds)).toEqual([[a.id, b.id]]);

      const queued = store.createRun({ task: 'train', net: 'n', config: {} });
      expect(queued.environment).toBeNull();
      expect(store.updateRunStatus(queued.id, 'running', { environment: there }).environment).toEqual(there);
      store.updateRunStatus(queued.id, 'interrupted');
      // Resumed without a new environment: the recorded one stays.
      expect(store.updateRunStatus(queued.id, 'running').environment).toEqual(there);
    } finally {
      store.dispose();
    }
  });

  it('a v3 database gains the column on open; its runs read environment null', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ranp.sqlite');
    const db = openDatabase(file);
    migrate(db, 3);
    db.exec(`INSERT INTO projects (name, created_at) VALUES ('default', 1)`);
    db.exec(
      `INSERT INTO runs (uuid, project_id, task, net, config_json, app_version, status, created_at)
       VALUES ('old-run-0001', 1, 'prune', 'n', '{}', '0.0.1', 'completed', 1)`,
    );
    db.close();
    const store = openStore({ dataDir: dir });
    try {
      expect(schemaVersion(store.db)).toBeGreaterThanOrEqual(4);
      expect(store.findRunByUuid('old-run-0001')?.environment).toBeNull();
    } finally {
      store.dispose();
    }
  });
});
