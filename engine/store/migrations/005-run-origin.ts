import type { Migration } from './migration.js';

/**
 * v5: where a run came from when it was not made in this store — e.g. "study 'grid' task 2/4 on
 * node17 (SLURM job 812_2)" or "bundle from host lab-3" — set on import from a bundle, shown by
 * `ranp runs list/show` and the app's runs table. NULL for runs made here (and all runs before v5).
 */
export const runOrigin: Migration = {
  version: 5,
  description: 'runs.origin: where an imported run came from (NULL: made in this store)',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN origin TEXT;`);
  },
};
