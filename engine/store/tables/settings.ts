import type Database from 'better-sqlite3';
import type { JsonValue } from '../types.js';

/** The settings table: user settings as JSON by key. */
export class SettingsTable {
  constructor(private readonly db: Database.Database) {}

  get(key: string): JsonValue | undefined {
    const row = this.db
      .prepare<[string], { value_json: string }>(`SELECT value_json FROM settings WHERE key = ?`)
      .get(key);
    return row ? (JSON.parse(row.value_json) as JsonValue) : undefined;
  }

  set(key: string, value: JsonValue): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), Date.now());
  }
}
