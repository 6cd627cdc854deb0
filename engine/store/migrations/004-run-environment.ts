import type { Migration } from './migration.js';

/**
 * v4: where and on what a run ran — backend, native kernels and threads, software versions, the
 * data folder's fingerprint — as one JSON column beside the config (not inside it), so runs that
 * differ only in seed still group together (groupBySeed, `ranp compare --seeds`) when they ran on
 * different machines. NULL for runs recorded before v4.
 */
export const runEnvironment: Migration = {
  version: 4,
  description: "runs.environment_json: the run's backend, native/thread info, versions and data fingerprint",
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN environment_json TEXT;`);
  },
};
