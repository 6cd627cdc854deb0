import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../engine/store/index.js';
import { useTempDirs } from './temp.js';

const tempDir = useTempDirs();

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('queued runs of a job queue', () => {
  it('records the queuing process, and a queue left by a dead process becomes interrupted on open', () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    const orphaned = store.createRun({ task: 'train', net: 'n', config: {}, queuedHere: true });
    const waiting = store.createRun({ task: 'train', net: 'n', config: {}, queuedHere: true });
    const unowned = store.createRun({ task: 'train', net: 'n', config: {} });
    const otherHost = store.createRun({ task: 'train', net: 'n', config: {}, queuedHere: true });
    expect(orphaned).toMatchObject({ status: 'queued', pid: process.pid, startedAt: null });
    expect(unowned.pid).toBeNull();
    store.db.prepare(`UPDATE runs SET pid = ? WHERE id = ?`).run(deadPid(), orphaned.id);
    // Another machine's queue may wait for hours without a heartbeat: not ours to judge.
    store.db
      .prepare(`UPDATE runs SET host = 'elsewhere', pid = ?, heartbeat_at = 0 WHERE id = ?`)
      .run(deadPid(), otherHost.id);
    store.dispose();

    const reopened = openStore({ dataDir: dir });
    try {
      expect(reopened.getRun(orphaned.id)).toMatchObject({ status: 'interrupted' });
      expect(reopened.getRun(orphaned.id).error).toMatch(/ended without starting the run/);
      expect(reopened.getRun(waiting.id).status).toBe('queued');
      expect(reopened.getRun(unowned.id).status).toBe('queued');
      expect(reopened.getRun(otherHost.id).status).toBe('queued');
      // Queued → interrupted (the UI closed with 'interrupt') → running on resume.
      expect(reopened.updateRunStatus(waiting.id, 'interrupted').status).toBe('interrupted');
      expect(reopened.updateRunStatus(waiting.id, 'running').status).toBe('running');
    } finally {
      reopened.dispose();
    }
  });
});

describe('settings', () => {
  it('keeps a JSON value per key across reopening, the last write winning', () => {
    const dir = tempDir();
    const store = openStore({ dataDir: dir });
    expect(store.getSetting('engine')).toBeUndefined();
    store.setSetting('engine', { whenUiCloses: 'interrupt' });
    store.setSetting('engine', { whenUiCloses: 'keep-running', extra: [1, 2] });
    store.setSetting('other', 3);
    expect(() => store.setSetting('', 1)).toThrow(/key must not be empty/);
    store.dispose();
    const reopened = openStore({ dataDir: dir });
    try {
      expect(reopened.getSetting('engine')).toEqual({ whenUiCloses: 'keep-running', extra: [1, 2] });
      expect(reopened.getSetting('other')).toBe(3);
    } finally {
      reopened.dispose();
    }
  });
});
