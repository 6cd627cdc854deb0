import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient } from '../../../engine/protocol/index.js';

// The real host in this process with a real store: what the form's scale-up and transfer fields become.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-experiment-params-'));
const samples = path.resolve('assets/samples');
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: samples });
afterAll(async () => {
  host.context.jobs.interruptAll('test over');
  await host.context.jobs.idle();
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('experiment.start: scale-up and transfer', () => {
  const client = new ProtocolClient(inProcessTransport(host));
  const base = {
    task: 'brats' as const,
    data: path.join(samples, 'brats'),
    net: 'unet3d-brats',
    inputSize: [16, 16, 16] as [number, number, number],
    width: 0.125,
    train: { epochs: 1, samplesPerEpoch: 1 },
  };
  const prune = { method: 'ranp-f', sparsity: 0.3, lambda: 15, scoringSamples: 1 };

  it('stores prune.inputSize, prune.widen and prune.from (the checked folder) in the runs’ config', async () => {
    const { job } = await client.request('experiment.start', {
      ...base,
      prune: {
        ...prune,
        inputSize: [8, 8, 8],
        widen: 1.5,
        from: { task: 'shapenet', data: path.join(samples, 'shapenet') },
      },
    });
    await client.request('job.cancel', { jobId: job.id });
    const run = await client.request('runs.get', { id: job.runIds[1] });
    expect(run.params).toMatchObject({
      'prune.inputSize': '[8,8,8]',
      'prune.widen': 1.5,
      'prune.from.task': 'shapenet',
      'prune.from.data': path.join(samples, 'shapenet'),
    });
  });

  it('refuses a transfer folder the app may not read, before queueing anything', async () => {
    const before = (await client.request('runs.list', {})).runs.length;
    await expect(
      client.request('experiment.start', {
        ...base,
        prune: { ...prune, from: { task: 'shapenet', data: '/etc' } },
      }),
    ).rejects.toThrow(/\/etc/);
    expect((await client.request('runs.list', {})).runs.length).toBe(before);
  });
});
