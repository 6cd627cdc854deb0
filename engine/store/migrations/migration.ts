import type Database from 'better-sqlite3';

/** One schema step. A new schema version = one new file here + one line in index.ts. */
export interface Migration {
  /** Schema version after this step (PRAGMA user_version); consecutive from 1. */
  version: number;
  description: string;
  up(db: Database.Database): void;
}
