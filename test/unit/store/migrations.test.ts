import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../engine/store/database.js';
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  schemaVersion,
} from '../../../engine/store/migrations/index.js';
import { openStore, SchemaVersionError } from '../../../engine/store/index.js';
import { useTempDirs } from './temp.js';

const tempDir = useTempDirs();

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

function tables(db: Database.Database): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as {
      name: string;
    }[]
  ).map((t) => t.name);
}

describe('schema migrations', () => {
  it('ships consecutive versions and the latest is at least 2', () => {
    expect(migrations.map((m) => m.version)).toEqual(
      Array.from({ length: migrations.length }, (_, i) => i + 1),
    );
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('creates the latest schema in an empty file on open', () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    try {
      expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(tables(store.db)).toEqual(
        expect.arrayContaining([
          'projects',
          'runs',
          'prune_reports',
          'prune_layers',
          'metrics',
          'artifacts',
          'system_metrics',
        ]),
      );
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      store.dispose();
    }
  });

  it('upgrades a v1 file written by the v1 migration alone, keeping its data', () => {
    const dir = tempDir();
    const file = path.join(dir, 'ranp.sqlite');
    const v1 = openDatabase(file);
    migrate(v1, 1);
    expect(tables(v1)).not.toContain('system_metrics');
    expect(columns(v1, 'artifacts')).not.toContain('verified_at');
    v1.prepare(`INSERT INTO projects (id, name, created_at) VALUES (1, 'old', 1000)`).run();
    v1.prepare(
      `INSERT INTO runs (id, uuid, project_id, task, net, config_json, app_version, status, created_at)
       VALUES (7, 'u-7', 1, 'train', 'unet3d-brats', '{"lr":0.001}', '0.0.1', 'completed', 2000)`,
    ).run();
    v1.prepare(
      `INSERT INTO metrics (run_id, step, epoch, name, value, wall_time) VALUES (7, 1, 1, 'dice_wt', 0.42, 3000)`,
    ).run();
    v1.prepare(
      `INSERT INTO artifacts (run_id, kind, name, hash, size, rel_path, created_at) VALUES (7, 'checkpoint', 'a.ckpt', ?, 3, 'checkpoints/ab/x', 4000)`,
    ).run('ab'.repeat(32));
    v1.close();

    const store = openStore({ dataDir: dir });
    try {
      expect(schemaVersion(store.db)).toBe(LATEST_SCHEMA_VERSION);
      expect(tables(store.db)).toContain('system_metrics');
      expect(columns(store.db, 'artifacts')).toEqual(
        expect.arrayContaining(['hash_algorithm', 'verified_at']),
      );
      const run = store.getRun(7);
      expect(run).toMatchObject({
        uuid: 'u-7',
        project: 'old',
        net: 'unet3d-brats',
        config: { lr: 0.001 },
        status: 'completed',
      });
      expect(store.metrics(7)).toEqual([
        { runId: 7, step: 1, epoch: 1, name: 'dice_wt', value: 0.42, wallTime: 3000 },
      ]);
      const [artifact] = store.listArtifacts(7);
      expect(artifact).toMatchObject({ name: 'a.ckpt', size: 3, verifiedAt: null });
      expect(store.db.prepare(`SELECT hash_algorithm FROM artifacts`).pluck().get()).toBe('sha256');
      // The new table is usable on the upgraded file.
      store.updateRunStatus(
        store.createRun({ task: 'train', net: 'n', config: {}, status: 'running' }).id,
        'completed',
      );
    } finally {
      store.dispose();
    }
  });

  it('reaches the same schema from every older version as from scratch', () => {
    // Table and index names plus every table's column list (ALTER TABLE rewrites CREATE text, so not the SQL).
    const shapeOf = (db: Database.Database) =>
      Object.fromEntries(
        (
          db.prepare(`SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
            name: string;
          }[]
        ).map(({ name }) => [name, tables(db).includes(name) ? columns(db, name) : 'index']),
      );
    const fresh = new Database(':memory:');
    migrate(fresh);
    const expected = shapeOf(fresh);
    fresh.close();
    for (let from = 0; from < LATEST_SCHEMA_VERSION; from++) {
      const db = new Database(':memory:');
      migrate(db, from);
      expect(schemaVersion(db)).toBe(from);
      expect(migrate(db)).toEqual(
        Array.from({ length: LATEST_SCHEMA_VERSION - from }, (_, i) => from + i + 1),
      );
      expect(shapeOf(db)).toEqual(expected);
      db.close();
    }
  });

  it('refuses a database from a newer build, naming the versions', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'ranp.sqlite'));
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore({ dataDir: dir })).toThrow(SchemaVersionError);
    expect(() => openStore({ dataDir: dir })).toThrow(
      new RegExp(`schema version ${LATEST_SCHEMA_VERSION + 1}, newer`),
    );
  });
});
