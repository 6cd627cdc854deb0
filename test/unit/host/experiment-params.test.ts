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

describe('prune.preview with a budget', () => {
  const client = new ProtocolClient(inProcessTransport(host));
  const settings = {
    task: 'brats' as const,
    net: 'unet3d-brats',
    dataset: path.join(samples, 'brats'),
    method: 'ranp-f' as const,
    sparsity: 0.5,
    lambda: 15,
    inputSize: [16, 16, 16] as [number, number, number],
    width: 0.125,
    scoringSamples: 1,
  };

  it('previews the smallest sparsity whose pruned net keeps at most the budget, and names it', async () => {
    const budget = { resource: 'flops' as const, value: 0.3, relative: true };
    const found = await client.request('prune.preview', { ...settings, budget });
    expect(found.sparsity).not.toBe(settings.sparsity);
    expect(found.after.flops / found.before.flops).toBeLessThanOrEqual(0.3);
    // A sparsity asked for is the one previewed; a little less than the one found keeps too much.
    const asked = await client.request('prune.preview', { ...settings, sparsity: found.sparsity });
    expect([asked.sparsity, asked.after.flops]).toEqual([found.sparsity, found.after.flops]);
    const less = await client.request('prune.preview', { ...settings, sparsity: found.sparsity - 0.01 });
    expect(less.after.flops / less.before.flops).toBeGreaterThan(0.3);
  });

  it('refuses a budget for a method that masks weights, saying why', async () => {
    await expect(
      client.request('prune.preview', {
        ...settings,
        method: 'weight-snip',
        budget: { resource: 'params', value: 0.5, relative: true },
      }),
    ).rejects.toThrow(/a resource budget needs a neuron method/);
  });
});
