import type Database from 'better-sqlite3';
import { SchemaVersionError } from '../errors.js';
import type { Migration } from './migration.js';
import { initialSchema } from './001-initial.js';
import { systemMetricsAndVerification } from './002-system-metrics.js';
import { settingsTable } from './003-settings.js';
import { runEnvironment } from './004-run-environment.js';
import { runOrigin } from './005-run-origin.js';

/** Every schema step, in order. */
export const migrations: readonly Migration[] = [
  initialSchema,
  systemMetricsAndVerification,
  settingsTable,
  runEnvironment,
  runOrigin,
];

export const LATEST_SCHEMA_VERSION = migrations.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema from its current version up to `target` (default: latest), each step in its
 * own transaction together with the version bump, so a crash leaves a whole version behind.
 * Returns the versions applied.
 */
export function migrate(db: Database.Database, target: number = LATEST_SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `database ${db.name} has schema version ${current}, newer than this build knows (${LATEST_SCHEMA_VERSION}); update RANP Studio`,
    );
  }
  if (target < current || target > LATEST_SCHEMA_VERSION) {
    throw new SchemaVersionError(`cannot migrate ${db.name} from schema version ${current} to ${target}`);
  }
  const applied: number[] = [];
  for (const migration of migrations.slice(current, target)) {
    // Re-read inside the write lock: another process opening the same file may have migrated first.
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
