import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** Debian's Chromium (apt-get install chromium); `npx playwright install` cannot work offline. */
export const CHROMIUM_PATH = process.env.RANP_CHROMIUM ?? '/usr/bin/chromium';

/** Where tests keep screenshots (kept as CI artifacts; the README links some). */
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request URL the page made: tests assert none leaves 127.0.0.1. */
  requests: string[];
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1400, height: 900 }): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run scripts/setup-system.sh (apt-get install chromium)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Keep WebGL2 on SwiftShader headless (never --use-angle=vulkan here).
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  return {
    browser,
    context,
    page,
    requests,
    close: () => browser.close(),
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** True for URLs that stay on this machine (the app must never reach elsewhere). */
export function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}
