import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../../engine/host/host.js';
import { inProcessTransport } from '../../../engine/host/in-process.js';
import { ProtocolClient } from '../../../engine/protocol/index.js';
import App from '../../../renderer/App.svelte';
import { AppState } from '../../../renderer/state.svelte.js';

// The real engine host in this process with an empty store in a temp data dir.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-app-'));
const host = new EngineHost({ mode: 'test', dataDir, samplesDir: path.resolve('assets/samples') });

afterEach(() => cleanup());
afterAll(() => {
  host.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('App (real engine host in-process)', () => {
  it('moves between sections with the arrow keys and shows the empty states', async () => {
    const app = new AppState(new ProtocolClient(inProcessTransport(host)));
    await app.load();
    render(App, { app });
    const dataTab = screen.getByRole('tab', { name: 'Data' });
    expect(dataTab.getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(dataTab, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'New experiment' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText(/Choose the data first/)).toBeInTheDocument();
    await fireEvent.keyDown(screen.getByRole('tab', { name: 'New experiment' }), { key: 'ArrowRight' });
    expect(await screen.findByText(/No runs yet/)).toBeInTheDocument();
    await fireEvent.keyDown(screen.getByRole('tab', { name: /Runs/ }), { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { name: 'New experiment' }).getAttribute('aria-selected')).toBe('true');
  });

  it('switches between light and dark themes', async () => {
    localStorage.setItem('ranp-theme', 'light');
    const app = new AppState(new ProtocolClient(inProcessTransport(host)));
    render(App, { app });
    expect(document.documentElement.dataset.theme).toBe('light');
    await fireEvent.click(screen.getByRole('button', { name: 'Switch to dark theme' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('ranp-theme')).toBe('dark');
  });
});
