import type Database from 'better-sqlite3';
import { absoluteContentPath } from '../content-store.js';
import type { DataPaths } from '../paths.js';
import type { ArtifactKind, ArtifactRecord } from '../types.js';

interface ArtifactRow {
  id: number;
  run_id: number;
  kind: string;
  name: string;
  epoch: number | null;
  hash: string;
  size: number;
  rel_path: string;
  created_at: number;
  verified_at: number | null;
}

/** Where a stored file's bytes are: its sha256, size and path inside the data folder. */
export interface StoredContent {
  hash: string;
  size: number;
  relPath: string;
}

/** The artifacts table: one row per run file, pointing into the content-addressed folders. */
export class ArtifactsTable {
  constructor(
    private readonly db: Database.Database,
    private readonly paths: DataPaths,
  ) {}

  /** Inserts (or replaces, by name) an artifact row; must run inside a transaction. */
  put(
    runId: number,
    kind: ArtifactKind,
    name: string,
    epoch: number | null,
    content: StoredContent,
    now: number,
  ): number {
    this.db.prepare(`DELETE FROM artifacts WHERE run_id = ? AND name = ?`).run(runId, name);
    const result = this.db
      .prepare(
        `INSERT INTO artifacts (run_id, kind, name, epoch, hash, size, rel_path, created_at, hash_algorithm, verified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sha256', ?)`,
      )
      .run(runId, kind, name, epoch, content.hash, content.size, content.relPath, now, now);
    return Number(result.lastInsertRowid);
  }

  byId(id: number): ArtifactRecord {
    return this.toArtifact(
      this.db.prepare<[number], ArtifactRow>(`SELECT * FROM artifacts WHERE id = ?`).get(id)!,
    );
  }

  byName(runId: number, name: string): ArtifactRecord | undefined {
    const row = this.db
      .prepare<[number, string], ArtifactRow>(`SELECT * FROM artifacts WHERE run_id = ? AND name = ?`)
      .get(runId, name);
    return row ? this.toArtifact(row) : undefined;
  }

  list(runId: number): ArtifactRecord[] {
    return this.db
      .prepare<[number], ArtifactRow>(`SELECT * FROM artifacts WHERE run_id = ? ORDER BY id`)
      .all(runId)
      .map((r) => this.toArtifact(r));
  }

  latestCheckpoint(runId: number): ArtifactRecord | null {
    const row = this.db
      .prepare<[number], ArtifactRow>(
        `SELECT * FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' ORDER BY epoch DESC, id DESC LIMIT 1`,
      )
      .get(runId);
    return row ? this.toArtifact(row) : null;
  }

  markVerified(id: number, now: number): void {
    this.db.prepare(`UPDATE artifacts SET verified_at = ? WHERE id = ?`).run(now, id);
  }

  /** The content paths the run's rows point to. */
  relPathsOf(runId: number): string[] {
    return this.db
      .prepare<[number], { rel_path: string }>(`SELECT DISTINCT rel_path FROM artifacts WHERE run_id = ?`)
      .all(runId)
      .map((r) => r.rel_path);
  }

  isReferenced(relPath: string): boolean {
    return (
      this.db
        .prepare<[string], { n: number }>(`SELECT 1 AS n FROM artifacts WHERE rel_path = ? LIMIT 1`)
        .get(relPath) !== undefined
    );
  }

  private toArtifact(row: ArtifactRow): ArtifactRecord {
    return {
      id: row.id,
      runId: row.run_id,
      kind: row.kind as ArtifactKind,
      name: row.name,
      epoch: row.epoch,
      hash: row.hash,
      size: row.size,
      path: absoluteContentPath(this.paths, row.rel_path),
      createdAt: row.created_at,
      verifiedAt: row.verified_at,
    };
  }
}
