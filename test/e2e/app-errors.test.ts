import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from './helpers/chromium.js';
import { buildRenderer, STATIC_DIR } from './helpers/build-renderer.js';
import { startEngineHost, type RunningHost } from './helpers/engine-host.js';

/** The Data page's errors in the browser, from the real engine process (browser mode, --allow). */
let host: RunningHost;
let ui: LaunchedBrowser;
const allowed = mkdtempSync(path.join(os.tmpdir(), 'ranp-allowed-'));
const photos = path.join(allowed, 'holiday-photos');
mkdirSync(photos);
writeFileSync(path.join(photos, 'beach.jpg'), 'x');

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
  });
});
