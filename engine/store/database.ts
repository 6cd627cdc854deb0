import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** How long a writer waits for another process's lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) the SQLite file in WAL mode, so one process can write while others
 * read, with foreign keys enforced. synchronous=FULL: a committed epoch survives even a power cut;
 * epochs are rare enough that the extra fsync costs nothing noticeable.
 */
export function openDatabase(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The SQLite library's version (for `ranp doctor`). */
export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return db.prepare<[], { version: string }>('SELECT sqlite_version() AS version').get()!.version;
  } finally {
    db.close();
  }
}
