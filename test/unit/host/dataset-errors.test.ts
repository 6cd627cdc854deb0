import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient, ProtocolError } from '../../../engine/protocol/index.js';

// The real host in this process: what datasets.check says about folders that are not datasets.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-dataset-errors-'));
const notData = path.join(dataDir, 'holiday-photos');
mkdirSync(notData);
writeFileSync(path.join(notData, 'beach.jpg'), 'not an image either');
const host = new EngineHost({ mode: 'browser', dataDir, samplesDir: path.resolve('assets/samples') });
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});
const client = new ProtocolClient(inProcessTransport(host));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as ProtocolError,
  );

describe('datasets.check errors that say what to do', () => {
  it('an existing folder that is no dataset names the three layouts; with a task, that one', async () => {
    const any = await failure(client.request('datasets.check', { path: notData }));
    expect(any?.code).toBe('invalid-params');
    expect(any?.message).toContain(
      "exists but is not a ShapeNet part, BraTS'18 or UCF101 folder (expected ShapeNet part: ",
    );
    expect(any?.message).toContain("BraTS'18: {HGG,LGG}/<subject>/<subject>_{flair,t1,t1ce,t2,seg}.nii.gz");
    const brats = await failure(client.request('datasets.check', { path: notData, task: 'brats' }));
    expect(brats?.message).toContain("exists but is not a BraTS'18 folder (expected BraTS'18: {HGG,LGG}");
    expect(brats?.message).not.toContain('UCF101');
  });

  it('a missing folder is not found; one outside the allowed folders lists them and names --allow', async () => {
    const missing = await failure(client.request('datasets.check', { path: path.join(dataDir, 'gone') }));
    expect([missing?.code, missing?.message]).toEqual([
      'not-found',
      `${path.join(dataDir, 'gone')}: does not exist`,
    ]);
    const outside = await failure(client.request('datasets.check', { path: '/usr/share' }));
    expect(outside?.code).toBe('forbidden-path');
    expect(outside?.message).toContain(path.resolve('assets/samples'));
    expect(outside?.message).toContain('start the app with --allow FOLDER');
  });
});
