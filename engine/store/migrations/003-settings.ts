import type { Migration } from './migration.js';

/**
 * v3: user settings the engine keeps between sessions (e.g. what happens to a run when the UI
 * closes), one JSON value per key, so a new setting needs no further migration.
 */
export const settingsTable: Migration = {
  version: 3,
  description: 'settings table (key → JSON value)',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};
