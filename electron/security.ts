/**
 * Every security setting of the Electron app in one place, as plain values and functions so a
 * unit test can assert each one (test/unit/protocol/electron-security.test.ts).
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../engine/protocol/security.js';

export { CONTENT_SECURITY_POLICY };

/** The renderer is untrusted web content: isolated, sandboxed, without Node. */
export const SECURE_WEB_PREFERENCES: Readonly<Omit<WebPreferences, 'preload'>> = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
});

export function webPreferences(preload: string, devTools: boolean): WebPreferences {
  return { ...SECURE_WEB_PREFERENCES, preload, devTools };
}

/** The app never navigates: only a reload of its own page is allowed. */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(appUrl);
    return a.protocol === 'file:' && b.protocol === 'file:' && a.pathname === b.pathname;
  } catch {
    return false;
  }
}

/** Requests the window may make: its own files and the devtools; nothing over the network. */
export function isAllowedRequest(url: string): boolean {
  return (
    url.startsWith('file://') ||
    url.startsWith('devtools://') ||
    url.startsWith('data:') ||
    url.startsWith('blob:')
  );
}

export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, microphone, notifications, geolocation…: the app needs none of them. */
export function denyPermission(
  _contents: WebContents,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  return { ...(headers ?? {}), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] };
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler(denyPermission);
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url) }),
  );
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) }),
  );
}

/** Blocks navigation, redirects, new windows and webviews for one window's contents. */
export function hardenWebContents(contents: WebContents): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, contents.getURL())) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindowOpen);
}

/** IPC from the renderer is accepted only from the app's own page. */
export function isTrustedSender(frameUrl: string | undefined, appUrl: string): boolean {
  return frameUrl !== undefined && isAllowedNavigation(frameUrl, appUrl);
}
