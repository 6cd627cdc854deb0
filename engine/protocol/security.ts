/**
 * The one Content-Security-Policy of the renderer: everything from the app itself, the only
 * connection the local engine. Used by the HTTP server's header, Electron's session and
 * (as a meta tag) renderer/index.html; a unit test keeps the three equal.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'";
