import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';

/** The Data page's errors in the browser, from the real engine process (browser mode, --allow). */
let host: RunningHost;
let ui: LaunchedBrowser;
const allowed = mkdtempSync(path.join(os.tmpdir(), 'ranp-allowed-'));
const photos = path.join(allowed, 'holiday-photos');
mkdirSync(photos);
writeFileSync(path.join(photos, 'beach.jpg'), 'x');
// Two BraTS subjects: one for training, one for validation ("1 sample" each, not "1 samples").
const pair = path.join(allowed, 'two-subjects');
for (const subject of ['Brats18_RANP_01_1', 'Brats18_RANP_02_1'])
  cpSync(path.resolve('assets/samples/brats/HGG', subject), path.join(pair, 'HGG', subject), {
    recursive: true,
  });

beforeAll(async () => {
  buildRenderer();
  host = await startEngineHost({ staticDir: STATIC_DIR, extraArgs: ['--allow', allowed] });
  ui = await launchChromium();
});

afterAll(async () => {
  await ui?.close();
  await host?.stop();
  rmSync(allowed, { recursive: true, force: true });
});

describe('errors that help', () => {
  it('a non-dataset folder names the layouts; outside --allow lists the folders and the flag; relative is refused as relative', async () => {
    const { page } = ui;
    await page.goto(host.url);
    const folder = page.getByPlaceholder('/path/to/BraTS2018/training');
    const alert = page.getByRole('alert');
    const check = async (p: string) => {
      await folder.fill(p);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
    };

    await check(photos);
    await expect
      .poll(() => alert.textContent(), { timeout: 30_000 })
      .toContain("exists but is not a ShapeNet part, BraTS'18 or UCF101 folder (expected");
    await check('/usr/share');
    await expect
      .poll(() => alert.textContent(), { timeout: 30_000 })
      .toContain(`'/usr/share' is outside the folders this app may read:`);
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain(allowed);
    expect(text).toContain('start the app with --allow FOLDER');
    await check('datasets/brats');
    await expect
      .poll(() => alert.textContent(), { timeout: 30_000 })
      .toContain("'datasets/brats' is a relative path; give the full path of the folder");
    expect(await alert.textContent()).not.toContain('outside');
    await check(pair);
    const report = page.getByTestId('dataset-report');
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toContain('Ready to use');
    expect(await report.locator('dd').allTextContents()).toEqual(
      expect.arrayContaining(['1 sample', '1 sample']),
    );
    expect(await report.textContent()).not.toMatch(/\b1 samples\b/);

    // The form: an emptied field says what it needs at the field (no schema text), and the
    // message goes as soon as the field is fixed.
    await page.getByTestId('sample').filter({ hasText: 'brats' }).click();
    await page.getByRole('button', { name: 'Use this dataset' }).click({ timeout: 60_000 });
    const epochs = page.getByLabel(/Training passes/);
    await epochs.fill('');
    const message = page.getByTestId('epochs-error');
    await expect.poll(() => message.textContent()).toBe('Epochs: a whole number from 1 to 10000');
    expect(await epochs.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Start experiment' }).isDisabled()).toBe(true);
    expect(await page.locator('form').textContent()).not.toMatch(/Expected number|invalid_type/);
    await epochs.fill('2');
    await expect.poll(() => message.count()).toBe(0);
    expect(await epochs.getAttribute('aria-invalid')).toBe('false');

    // A FLOPs budget instead of a sparsity: the preview prunes to the smallest sparsity that meets
    // it and says which; a budget of 0 is refused at its field until fixed.
    await page.getByLabel('Prune to').selectOption('flops');
    const budget = page.getByLabel(/FLOPs budget, % of the full net/);
    await budget.fill('30');
    const found = page.getByTestId('budget-sparsity');
    await expect
      .poll(() => found.textContent(), { timeout: 180_000 })
      .toMatch(/^removes \d+\.\d% of the neurons to meet it$/);
    const removed = Number(/removes (\d+\.\d)%/.exec((await found.textContent()) ?? '')![1]);
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThan(100);
    // The computation kept: at most 30% of the full net's ("−70.0%" or more removed).
    const flops = (await page.locator('.totals div').first().locator('small').textContent()) ?? '';
    expect(Number(/^−(\d+\.\d)%/.exec(flops)![1])).toBeGreaterThanOrEqual(70);
    await budget.fill('0');
    const budgetError = page.getByTestId('budget-error');
    await expect
      .poll(() => budgetError.textContent())
      .toBe('Budget: a percentage of the full net above 0, at most 100');
    expect(await budget.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Start experiment' }).isDisabled()).toBe(true);
    await budget.fill('30');
    await expect.poll(() => budgetError.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Start experiment' }).isDisabled()).toBe(false);

    // An input size the net cannot take: the engine's message lists the sizes that work, worked out
    // from the net's poolings (three k2 s2 max-pools: 8 or more per side).
    await page.getByLabel(/Input size/).fill('6');
    await expect
      .poll(() => page.getByTestId('prune-preview').getByRole('alert').textContent(), { timeout: 60_000 })
      .toContain(
        "net 'unet3d-brats' cannot take input 6×6×6: layer 'enc3.pool': kernel 2×2×2 is larger than its padded input 1×1×1",
      );
    expect(await page.getByTestId('prune-preview').getByRole('alert').textContent()).toContain(
      'Along each axis it takes 8 or more; the nearest that works: 8.',
    );
    await screenshot(page, '10-input-size-error');
  });
});
