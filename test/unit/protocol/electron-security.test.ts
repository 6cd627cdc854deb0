import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import {
  CONTENT_SECURITY_POLICY,
  denyPermission,
  denyWindowOpen,
  hardenWebContents,
  isAllowedNavigation,
  isAllowedRequest,
  isTrustedSender,
  SECURE_WEB_PREFERENCES,
  webPreferences,
  withContentSecurityPolicy,
} from '../../../electron/security.js';

const APP = 'file:///opt/ranp/resources/app.asar/dist/renderer/index.html';

describe('Electron web preferences', () => {
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
  ] as const)('%s is %s', (key, value) => {
    expect(SECURE_WEB_PREFERENCES[key]).toBe(value);
    expect(webPreferences('/p/preload.cjs', false)[key]).toBe(value);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });
});

describe('content security policy', () => {
  it('allows only the app itself and the local engine socket', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws://127.0.0.1:*;");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*\.|'unsafe-eval'/);
  });

  it('is the same policy as the meta tag of renderer/index.html', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is set on every response, replacing what the response said', () => {
    const headers = withContentSecurityPolicy({
      'Content-Security-Policy': ['default-src *'],
      'X-Other': ['1'],
    });
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['X-Other']).toEqual(['1']);
  });
});

describe('navigation, windows, permissions, requests', () => {
  it('only reloads of the app page are allowed navigations', () => {
    expect(isAllowedNavigation(APP, APP)).toBe(true);
    expect(isAllowedNavigation(`${APP}#runs`, APP)).toBe(true);
    expect(isAllowedNavigation('https://example.org/', APP)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', APP)).toBe(false);
    expect(isAllowedNavigation('not a url', APP)).toBe(false);
  });

  it('window.open is denied and permissions are refused', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
    let granted: boolean | undefined;
    denyPermission({} as WebContents, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
  });

  it('network requests are blocked; app files are not', () => {
    expect(isAllowedRequest(APP)).toBe(true);
    expect(isAllowedRequest('https://cdn.example.org/x.js')).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/')).toBe(false);
  });

  it('IPC is trusted only from the app page', () => {
    expect(isTrustedSender(APP, APP)).toBe(true);
    expect(isTrustedSender('https://evil.example/', APP)).toBe(false);
    expect(isTrustedSender(undefined, APP)).toBe(false);
  });

  // Electron cannot run here, so this drives hardenWebContents with a recording stand-in for WebContents.
  it('hardenWebContents (with a stand-in WebContents) blocks navigation, redirects, webviews and new windows', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => unknown) | undefined;
    const contents = {
      on(event: string, listener: (event: { preventDefault(): void }, url?: string) => void) {
        listeners.set(event, listener);
        return contents;
      },
      setWindowOpenHandler(handler: (d: { url: string }) => unknown) {
        openHandler = handler;
      },
      getURL: () => APP,
    };
    hardenWebContents(contents as unknown as WebContents);
    const fire = (event: string, url?: string) => {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(fire('will-navigate', APP)).toBe(false);
    expect(fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(openHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });
});
