/**
 * Driving the app to the study's segmentations (Runs → select → Compare) and opening one case, waiting
 * until every modality arrived; shared by test/e2e/viewer-app.test.ts and the viewer-open bench scenario.
 */
import type { Locator, Page } from 'playwright-core';

/** Ticks the named runs in Runs, compares them and returns the segmentation view once its cases are listed. */
export async function compareRuns(page: Page, url: string, runNames: string[]): Promise<Locator> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Runs' }).click();
  for (const name of runNames) await page.getByRole('checkbox', { name: `Compare ${name}` }).check();
  await page.getByRole('button', { name: new RegExp(`Compare ${runNames.length} selected`) }).click();
  const view = page.getByTestId('segmentation');
  await view.getByTestId('case-metrics').locator('tbody tr').first().waitFor({ timeout: 60_000 });
  return view;
}

/**
 * Opens a case ('worst': the jump button) and returns the open-time breakdown shown on screen (ms per
 * phase, 'total' = first view, 'other modalities after' = the rest after the first view).
 */
export async function openCase(
  view: Locator,
  which: string,
  timeout = 180_000,
): Promise<Record<string, number>> {
  const times = view.getByTestId('open-times');
  const before = (await times.count()) ? Number(await times.getAttribute('data-open')) : 0;
  if (which === 'worst') await view.getByTestId('jump-worst').click();
  else await view.locator(`tr[data-case="${which}"] button`).click();
  const deadline = Date.now() + timeout;
  for (;;) {
    if ((await times.count()) === 1) {
      const open = Number(await times.getAttribute('data-open'));
      const ms = JSON.parse((await times.getAttribute('data-open-ms')) ?? '{}') as Record<string, number>;
      if (open > before && ms['other modalities after'] !== undefined) return ms;
    }
    if (Date.now() > deadline)
      throw new Error(`case ${which} did not open with every modality in ${timeout / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
