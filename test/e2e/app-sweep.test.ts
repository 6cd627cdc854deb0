import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';

/**
 * A sweep queued from the form as one study, for real: Debian's Chromium, the engine host process,
 * SQLite in a temp data dir, the bundled BraTS-layout samples; 2 methods × 1 sparsity × 1 seed of a
 * tiny experiment (width 0.25, 16³, 1 epoch of 2 samples) = 2 experiments, 4 runs.
 */
let host: RunningHost;
let ui: LaunchedBrowser;
// Kept across an engine restart (the host helper removes only a data folder it made itself).
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ranp-sweep-'));

beforeAll(async () => {
  buildRenderer();
  host = await startEngineHost({ staticDir: STATIC_DIR, dataDir });
  ui = await launchChromium();
});

afterAll(async () => {
  await ui?.close();
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a sweep from the UI', () => {
  it('queues method × sparsity × seed as one study with one time left for all of it, and stores every run', async () => {
    const { page } = ui;
    await page.goto(host.url);
    await page.getByTestId('sample').filter({ hasText: 'brats' }).click();
    await expect
      .poll(() => page.getByTestId('dataset-report').textContent(), { timeout: 60_000 })
      .toContain('Ready to use');
    await page.getByRole('button', { name: 'Use this dataset' }).click();

    await page.getByLabel(/Training passes/).fill('1');
    await page.getByText('Advanced').click();
    await page.getByLabel('Scoring samples').fill('1');
    await page.getByLabel(/Samples per epoch/).fill('2');
    // The net's title and its real input size; the slider stops at the largest safe sparsity.
    expect(await page.getByTestId('net-input').textContent()).toBe('trains at 16³ (the paper: 128³)');
    const slider = page.getByLabel('Neuron sparsity');
    await slider.fill('0.99');
    const hint = page.getByTestId('max-sparsity');
    await expect.poll(() => hint.count(), { timeout: 120_000 }).toBe(1);
    const max = Number(/at most (\d+)%/.exec((await hint.textContent()) ?? '')![1]) / 100;
    expect(max).toBeGreaterThan(0.3);
    expect(max).toBeLessThan(0.99);
    expect(Number(await slider.getAttribute('max'))).toBeCloseTo(max, 10);
    await expect.poll(async () => Number(await slider.inputValue())).toBeCloseTo(max, 10);
    await slider.fill('0.3');
    await page.getByText('Sweep (method × sparsity × seed)').click();
    await page.getByRole('checkbox', { name: 'Random' }).check();

    // A bad list is refused at its field, and the message goes once it is fixed.
    const seeds = page.getByLabel(/^Seeds/);
    await seeds.fill('0, x');
    await expect.poll(() => page.locator('#sweep-seeds-error').textContent()).toContain("'x' is not a seed");
    expect(await page.getByRole('button', { name: /Queue study|Start experiment/ }).isDisabled()).toBe(true);
    await seeds.fill('');
    expect(await page.locator('#sweep-seeds-error').count()).toBe(0);

    await expect.poll(() => page.getByTestId('sweep-size').textContent()).toContain('2 × 1 × 1 = 2');
    await page.getByRole('button', { name: 'Queue study of 2 experiments' }).click();

    const study = page.getByTestId('study');
    await expect.poll(() => study.count(), { timeout: 10_000 }).toBe(1);
    expect(await study.getByTestId('job').count()).toBe(2);
    expect(await study.getByTestId('study-count').textContent()).toContain('0 of 2 experiments ended');

    // While the first experiment trains, the second (same data and training) is estimated from its
    // speed: one time left for both nets of both experiments, the same in the study and the top bar.
    const eta = study.getByTestId('study-eta');
    const oneEstimate = /time left for 2 remaining experiments \(both nets of each\): (\d+:\d\d)$/;
    await expect
      .poll(async () => oneEstimate.test((await eta.textContent())?.trim() ?? ''), {
        timeout: 240_000,
        interval: 100,
      })
      .toBe(true);
    const studyLeft = oneEstimate.exec((await eta.textContent())!.trim())![1];
    const top = (await page.getByTestId('queue-eta').textContent())?.trim() ?? '';
    expect(top).toMatch(/left for all 2 experiments$/);
    // Progress events can land between the two reads: the same figure, give or take a second.
    const seconds = (t: string) => t.split(':').reduce((s, part) => s * 60 + Number(part), 0);
    expect(Math.abs(seconds(/· (\d+:\d\d) left/.exec(top)![1]) - seconds(studyLeft))).toBeLessThanOrEqual(1);
    await screenshot(page, '8-study-progress');

    await expect
      .poll(() => study.getByTestId('study-count').textContent(), { timeout: 400_000, interval: 1000 })
      .toContain('2 of 2 experiments ended');
    expect(await study.getByTestId('study-count').textContent()).not.toContain('failed');
    const rows = page.getByTestId('runs-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(4);
    const table = (await page.getByTestId('runs-table').textContent()) ?? '';
    expect(table.match(/completed/g)?.length).toBeGreaterThanOrEqual(4);
    await screenshot(page, '9-study-runs');
  });

  it('keeps the section, dataset and selection over a reload, and reconnects with the new key pasted after an engine restart', async () => {
    const { page } = ui;
    const boxes = page.getByRole('checkbox', { name: /^Compare/ });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /Compare 2 selected/ }).click();
    const compared = page.getByTestId('compare-table').locator('tbody tr');
    await expect.poll(() => compared.count(), { timeout: 30_000 }).toBe(2);
    const names = await compared.locator('th').allTextContents();
    const linked = new URLSearchParams(new URL(page.url()).hash.slice(1));
    expect([linked.get('view'), linked.get('runs')?.split(',').length]).toEqual(['compare', 2]);
    expect(linked.get('data')).toContain(path.join('assets', 'samples', 'brats'));

    await page.reload();
    await expect.poll(() => compared.count(), { timeout: 30_000 }).toBe(2);
    expect(await compared.locator('th').allTextContents()).toEqual(names);
    expect(await page.getByRole('tab', { name: 'Compare' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'New experiment' }).click();
    await expect
      .poll(() => page.locator('#exp-title ~ .hint').textContent(), { timeout: 30_000 })
      .toContain(path.join('assets', 'samples', 'brats'));

    // The engine restarts on the same port with a new session key; the tab loses its connection.
    await page.getByRole('tab', { name: 'Compare' }).click();
    const port = host.port;
    await host.stop();
    await expect.poll(() => page.getByText('Engine not connected').count(), { timeout: 10_000 }).toBe(1);
    host = await startEngineHost({ staticDir: STATIC_DIR, dataDir, extraArgs: ['--port', String(port)] });
    expect(host.token).not.toBe(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('token'));
    // Pasting the printed address into this tab changes only the fragment: no page load by the browser.
    await page.evaluate((hash) => (location.hash = hash), new URL(host.url).hash);
    await expect.poll(() => compared.count(), { timeout: 30_000 }).toBe(2);
    expect(await compared.locator('th').allTextContents()).toEqual(names);
    expect(await page.getByText('Engine not connected').count()).toBe(0);
  });
});
