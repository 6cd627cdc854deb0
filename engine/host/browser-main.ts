/**
 * Browser-mode engine process: `tsx engine/host/browser-main.ts [options]` serves the renderer and
 * the protocol WebSocket on 127.0.0.1 and prints one line `RANP_HOST_READY {json}` for its parent
 * (bin/start.js, the end-to-end tests).
 */
import { existsSync } from 'node:fs';
import { resolveDataPaths } from '../store/paths.js';
import { EngineHost } from './host.js';
import { startBrowserServer } from './http-server.js';
import { parseHostArgs } from './options.js';

export const READY_PREFIX = 'RANP_HOST_READY ';

const args = parseHostArgs(process.argv.slice(2));
const dataDir = resolveDataPaths({ dataDir: args.dataDir }).dataDir;
const host = new EngineHost({
  mode: 'browser',
  dataDir,
  samplesDir: args.samplesDir,
  allowedFolders: args.allow,
});
const server = await startBrowserServer({
  host,
  staticDir: existsSync(args.staticDir) ? args.staticDir : undefined,
  port: args.port,
  token: args.token,
});
process.stdout.write(
  `${READY_PREFIX}${JSON.stringify({ url: server.url, port: server.port, token: server.token, dataDir })}\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().finally(() => {
    host.dispose();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
