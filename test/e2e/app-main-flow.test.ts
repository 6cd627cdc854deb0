import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocal, launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';

/**
 * The main flow in browser mode, for real: Debian's Chromium, the engine host process, SQLite in a
 * temp data dir, the bundled BraTS-layout samples. A tiny experiment (width 0.25, 16³, 1 epoch of
 * 1 sample) keeps it to a couple of minutes on 2 cores.
 */
let host: RunningHost;
let ui: LaunchedBrowser;

beforeAll(async () => {
  buildRenderer();
  host = await startEngineHost({ staticDir: STATIC_DIR });
  ui = await launchChromium();
});

afterAll(async () => {
  await ui?.close();
  await host?.stop();
});

describe('RANP Studio in the browser', () => {
  it('checks the sample data, previews the pruning, runs an experiment, compares, and finds it again after a reload', async () => {
    const { page } = ui;
    await page.goto(host.url);

    // 1. Data: the bundled BraTS sample, checked by the engine.
    await page.getByTestId('sample').filter({ hasText: 'brats' }).click();
    await expect
      .poll(() => page.getByTestId('dataset-report').textContent(), { timeout: 60_000 })
      .toContain('Ready to use');
    await screenshot(page, '1-data');
    await page.getByRole('button', { name: 'Use this dataset' }).click();

    // 2. New experiment: tiny settings, then a live preview while the slider moves.
    const preview = page.getByTestId('prune-preview');
    await page.getByLabel(/Training passes/).fill('1');
    await page.getByText('Advanced').click();
    await page.getByLabel('Scoring samples').fill('1');
    await page.getByLabel(/Samples per epoch/).fill('1');
    const kept = () => preview.locator('[data-layer] .kept').allTextContents();
    const settled = async () => (await preview.getByText('updating…').count()) === 0;
    await page.getByLabel('Neuron sparsity').fill('0.3');
    await expect
      .poll(async () => (await settled()) && (await preview.locator('[data-layer]').count()), {
        timeout: 120_000,
      })
      .toBe(15);
    const keptAt30 = JSON.stringify(await kept());
    await page.getByLabel('Neuron sparsity').fill('0.4');
    await expect
      .poll(async () => (await settled()) && JSON.stringify(await kept()), { timeout: 30_000 })
      .not.toBe(keptAt30);
    await page.getByLabel('Neuron sparsity').fill('0.3');
    await expect
      .poll(async () => (await settled()) && JSON.stringify(await kept()), { timeout: 30_000 })
      .toBe(keptAt30);
    // The preview's pruned computation, to check against the trained pruned net below.
    const previewFlops = (await preview.locator('.totals strong').first().textContent())?.trim();
    expect(previewFlops).toMatch(/FLOPs$/);
    await screenshot(page, '2-experiment');
    await page.getByRole('button', { name: 'Start experiment' }).click();

    // 3. Runs: live progress, then finished.
    const job = page.getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    await expect
      .poll(
        async () =>
          Number(
            await page
              .getByRole('progressbar')
              .getAttribute('aria-valuenow')
              .catch(() => '0'),
          ),
        { timeout: 60_000 },
      )
      .toBeGreaterThan(0);
    // The run being trained is already in the stored runs.
    await expect
      .poll(() => page.getByTestId('runs-table').locator('tbody tr').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    // Live status from the job's events: the stored run being trained reads 'running' (not
    // 'queued' until the job ends).
    const running = page.getByTestId('runs-table').locator('tbody tr[data-status="running"]');
    await expect.poll(() => running.count(), { timeout: 30_000 }).toBe(1);
    await screenshot(page, '3-progress');
    await expect
      .poll(() => job.getAttribute('data-state'), { timeout: 280_000, interval: 1000 })
      .toBe('completed');
    const rows = page.getByTestId('runs-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    await screenshot(page, '4-runs');

    // 4. Compare the unpruned and pruned runs.
    for (const box of await page.getByRole('checkbox', { name: /^Compare/ }).all()) await box.check();
    await page.getByRole('button', { name: /Compare 2 selected/ }).click();
    const table = page.getByTestId('compare-table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 30_000 }).toBe(2);
    expect(await table.textContent()).toMatch(/unpruned/);
    expect(await table.textContent()).toMatch(/ranp-f, 30% removed/);
    // What the preview promised is what the experiment trained.
    expect(await table.locator('tbody tr', { hasText: 'removed' }).textContent()).toContain(previewFlops);
    expect(await page.getByTestId('param-diff').textContent()).toContain('sparsity');
    await expect.poll(() => page.locator('svg polyline').count()).toBeGreaterThan(0);
    await screenshot(page, '5-compare');

    // The 3D viewer with the MRI, the ground truth and both nets' predictions.
    await page.getByRole('button', { name: 'Show segmentations' }).click();
    await expect.poll(() => page.getByTestId('modality').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('segmentation').locator('canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('segmentation').scrollIntoViewIfNeeded();
    await screenshot(page, '7-segmentations');

    // 5. Come back later: a reload finds the runs in the store.
    await page.reload();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await expect
      .poll(() => page.getByTestId('runs-table').locator('tbody tr').count(), { timeout: 30_000 })
      .toBe(2);
    expect(await page.getByTestId('runs-table').textContent()).toContain('completed');

    // Dark theme renders too.
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await screenshot(page, '6-runs-dark');

    // Nothing left this machine.
    const remote = ui.requests.filter((u) => !isLocal(u));
    expect(remote).toEqual([]);
  });

  it('rejects a malformed protocol message from a page without crashing the engine', async () => {
    const { page } = ui;
    const replies = await page.evaluate(async (token: string) => {
      const ws = new WebSocket(`ws://${location.host}/ws?token=${token}`);
      await new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const next = () =>
        new Promise<string>((r) => ws.addEventListener('message', (e) => r(String(e.data)), { once: true }));
      const out: string[] = [];
      for (const frame of [
        '{"kind":"request","id":1,"method":"runs.get","params":{"id":{"$gt":""}}}',
        'garbage{{',
        JSON.stringify({ kind: 'request', id: 2, method: 'runs.list', params: {} }),
      ]) {
        const reply = next();
        ws.send(frame);
        out.push(await reply);
      }
      ws.close();
      return out;
    }, host.token);
    expect(JSON.parse(replies[0])).toMatchObject({ id: 1, ok: false, error: { code: 'invalid-params' } });
    expect(JSON.parse(replies[1])).toMatchObject({ id: null, ok: false, error: { code: 'invalid-message' } });
    expect(JSON.parse(replies[2])).toMatchObject({ id: 2, ok: true });
    expect(host.alive()).toBe(true);
  });

  it('says so when the engine process dies, and offers a reload (the page itself keeps working)', async () => {
    // A second, disposable engine: this test kills it for real.
    const doomed = await startEngineHost({ staticDir: STATIC_DIR });
    const page = await ui.context.newPage();
    try {
      await page.goto(doomed.url);
      await expect
        .poll(() => page.locator('header').textContent(), { timeout: 60_000 })
        .toContain('engine ready');
      doomed.process.kill('SIGKILL');
      const alert = page.getByRole('alert');
      await expect
        .poll(() => alert.textContent(), { timeout: 30_000 })
        .toContain('If the engine stopped, start it again and open (or paste here) the address it prints');
      expect(await page.locator('header').textContent()).toContain('Engine not connected');
      expect(await page.getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
      await screenshot(page, '8-engine-died');
    } finally {
      await page.close();
      await doomed.stop();
    }
  });
});
