import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient } from '../../../engine/protocol/index.js';
import DatasetPanel from '../../../renderer/views/DatasetPanel.svelte';

// The real engine host in this process (real data check on the bundled samples), no socket.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-panel-'));
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });
const client = new ProtocolClient(inProcessTransport(host));

afterEach(() => cleanup());
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DatasetPanel (real engine host in-process)', () => {
  it('lists the bundled samples, checks one and hands the report on', async () => {
    let used: string | undefined;
    render(DatasetPanel, { client, onUse: (r: { path: string }) => (used = r.path) });
    const cards = await screen.findAllByTestId('sample', {}, { timeout: 30_000 });
    expect(cards.map((c) => c.querySelector('strong')?.textContent).sort()).toEqual([
      'brats',
      'shapenet',
      'ucf101',
    ]);
    await fireEvent.click(cards.find((c) => c.textContent?.includes('brats')) as HTMLElement);
    const report = await screen.findByTestId('dataset-report', {}, { timeout: 30_000 });
    expect(report.textContent).toContain('Ready to use');
    expect(report.textContent).toMatch(/train\s*\d+ samples/);
    await fireEvent.click(screen.getByRole('button', { name: 'Use this dataset' }));
    expect(used).toBe(path.resolve('assets/samples/brats'));
  });

  it('explains that a folder outside the allowed ones cannot be read', async () => {
    render(DatasetPanel, { client, onUse: () => {} });
    await fireEvent.input(screen.getByLabelText('Folder'), { target: { value: '/etc' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('may only read the folders it was given');
    expect(alert.textContent).toContain("'/etc' is outside");
  });
});
