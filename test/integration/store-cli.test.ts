import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../engine/cli/command.js';
import { runsCommand } from '../../engine/cli/commands/runs.js';
import { openStore } from '../../engine/store/index.js';

const RANP = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ranp.js');
let base: string;
let dataDir: string;

/** The real `ranp` process (bin/ranp.js through tsx), store chosen by RANP_DATA_DIR. Slow to start: used sparingly. */
function ranpProcess(...args: string[]) {
  const result = spawnSync(process.execPath, [RANP, 'runs', ...args], {
    encoding: 'utf8',
    env: { ...process.env, RANP_DATA_DIR: dataDir },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The same command in this process, as main.ts runs it: exit code 2 for usage errors, 1 for others. */
async function ranp(...args: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), interactive: false };
  const withStore = args.includes('--data-dir') ? args : [...args, '--data-dir', dataDir];
  try {
    return { code: await runsCommand.run(withStore, io), out, err };
  } catch (error) {
    return { code: error instanceof UsageError ? 2 : 1, out, err: err + (error as Error).message };
  }
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ranp-store-cli-'));
  dataDir = path.join(base, 'data');
  const store = openStore({ dataDir });
  try {
    for (const [method, loss] of [
      ['ranp-f', 0.25],
      ['snip', 0.5],
    ] as const) {
      const run = store.createRun({
        task: 'train',
        net: 'unet3d-shapenet',
        method,
        sparsity: 0.7824,
        seed: 1,
        config: { method, lr: 0.1 },
        status: 'running',
      });
      store.recordEpoch(run.id, {
        epoch: 0,
        metrics: [{ name: 'loss', value: 1 }],
        checkpoint: { source: { bytes: Buffer.from(`w-${method}`) } },
      });
      store.recordEpoch(run.id, { epoch: 1, metrics: [{ name: 'loss', value: loss }] });
      store.updateRunStatus(run.id, 'completed');
    }
  } finally {
    store.dispose();
  }
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('ranp runs', () => {
  it('runs as a real process: table output, exit codes and messages', () => {
    const table = ranpProcess('list');
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^id\s+status\s+task\s+net\s+method\s+sparsity/);
    expect(table.out).toMatch(/1\s+completed\s+train\s+unet3d-shapenet\s+ranp-f\s+0\.7824/);
    const missing = ranpProcess('show', '99');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/ranp runs: run 99 not found/);
  });

  it('lists as JSON with filters; rejects unknown filter values', async () => {
    const json = await ranp('list', '--method', 'snip', '--json');
    expect(JSON.parse(json.out).map((r: { id: number }) => r.id)).toEqual([2]);
    expect((await ranp('list', '--status', 'bogus')).code).toBe(2);
  });

  it('shows and compares runs', async () => {
    const show = await ranp('show', '1');
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/net\s+unet3d-shapenet/);
    expect(show.out).toMatch(/epoch-0\.ckpt\s+checkpoint\s+0/);
    const compare = JSON.parse((await ranp('compare', '1', '2', '--json')).out);
    expect(compare.differences.map((d: { key: string }) => d.key)).toEqual(['config.method', 'method']);
    expect(compare.metrics[0].best).toEqual([
      { step: 1, value: 0.25 },
      { step: 1, value: 0.5 },
    ]);
    expect((await ranp('compare', '1', '2')).out).toMatch(/loss best \(min\)\s+0\.25 @1\s+0\.5 @1/);
  });

  it('exports a bundle that imports into another store, and deletes', async () => {
    const bundle = path.join(base, 'bundle');
    expect((await ranp('export', '1', '--format', 'bundle', '--out', bundle)).code).toBe(0);
    const imported = await ranp('import', bundle, '--data-dir', path.join(base, 'other'));
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^imported run [0-9a-f-]{36} as run 1 \(unet3d-shapenet, \w+, completed\)/);
    expect(imported.out).toMatch(/\n1 imported, 0 already imported\n$/);
    expect((await ranp('export', '1', '--format', 'csv')).code).toBe(2);
    const json = JSON.parse((await ranp('export', '1', '--format', 'json')).out);
    expect(json.metrics.map((m: { value: number }) => m.value)).toEqual([1, 0.25]);
    expect((await ranp('delete', '2')).out).toMatch(/deleted run 2/);
    expect(JSON.parse((await ranp('list', '--json')).out).map((r: { id: number }) => r.id)).toEqual([1]);
  });

  it('names an altered artifact file when exporting', async () => {
    const store = openStore({ dataDir });
    const [artifact] = store.listArtifacts(1);
    store.dispose();
    fs.appendFileSync(artifact.path, 'tampered');
    const result = await ranp('export', '1', '--format', 'bundle', '--out', path.join(base, 'bundle2'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `artifact file ${artifact.path}: has 16 bytes, expected 8 (altered or truncated) — artifact 'epoch-0.ckpt' (checkpoint) of run 1`,
    );
  });
});
