import os from 'node:os';
import type Database from 'better-sqlite3';
import { isProcessAlive } from '../liveness.js';

/**
 * Runs left 'running' by a process that no longer exists (same host: pid gone or last heartbeat
 * before the last boot; other host: heartbeat older than staleHeartbeatMs — long epochs on a
 * shared data folder should call heartbeat()) become 'interrupted' and so resumable. So do runs
 * queued by a host process of this machine that died before starting them (a queue may wait for
 * hours without a heartbeat, so another machine's queued runs are left alone).
 */
export function markDeadRunsInterrupted(db: Database.Database, host: string, staleHeartbeatMs: number): void {
  const now = Date.now();
  db.transaction(() => {
    const running = db
      .prepare<
        [],
        { id: number; status: string; pid: number | null; host: string | null; heartbeat_at: number | null }
      >(
        `SELECT id, status, pid, host, heartbeat_at FROM runs
         WHERE status = 'running' OR (status = 'queued' AND pid IS NOT NULL)`,
      )
      .all();
    const mark = db.prepare(`UPDATE runs SET status = 'interrupted', error = ?, ended_at = ? WHERE id = ?`);
    // A heartbeat from before this machine booted means its process died in the reboot, even
    // if a new process has since been given the same pid.
    const bootedAt = now - os.uptime() * 1000;
    for (const run of running) {
      const sameHost = run.host === host;
      if (run.status === 'queued' && !sameHost) continue;
      const dead = sameHost
        ? run.pid === null || !isProcessAlive(run.pid) || (run.heartbeat_at ?? 0) < bootedAt
        : run.heartbeat_at === null || now - run.heartbeat_at > staleHeartbeatMs;
      if (dead) {
        const why = sameHost
          ? `process ${run.pid} on ${run.host} ended without ${run.status === 'queued' ? 'starting' : 'finishing'} the run`
          : `no heartbeat from ${run.host} since ${new Date(run.heartbeat_at ?? 0).toISOString()}`;
        mark.run(why, now, run.id);
      }
    }
  }).immediate();
}
