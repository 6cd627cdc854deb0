import os from 'node:os';
import path from 'node:path';

/** Folder names inside the data directory. Artifacts are content-addressed inside their kind's folder. */
export interface DataPaths {
  dataDir: string;
  /** The SQLite database file. */
  database: string;
  checkpoints: string;
  predictions: string;
  scores: string;
  /** Artifacts of any other kind (net descriptions, reports, …). */
  artifacts: string;
  /** Partially written files before their atomic rename; on the same file system as the rest. */
  staging: string;
}

export interface DataDirOptions {
  /** Explicit folder (`--data-dir`); wins over everything. */
  dataDir?: string;
  /** Explicit database file (`--db`); artifacts still live in the data directory. */
  dbPath?: string;
}

const APP_DIR_POSIX = 'ranp-studio';
const APP_DIR_DISPLAY = 'RANP Studio';

/**
 * The platform's per-user app-data folder for RANP Studio:
 * Linux $XDG_DATA_HOME/ranp-studio (or ~/.local/share/ranp-studio), macOS
 * ~/Library/Application Support/RANP Studio, Windows %APPDATA%/RANP Studio.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_DISPLAY);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR_DISPLAY);
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, APP_DIR_POSIX);
}

/** Explicit option, then the RANP_DATA_DIR environment variable, then the platform default. */
export function resolveDataPaths(
  options: DataDirOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): DataPaths {
  const dataDir = path.resolve(options.dataDir ?? env.RANP_DATA_DIR ?? defaultDataDir(process.platform, env));
  return {
    dataDir,
    database: options.dbPath ? path.resolve(options.dbPath) : path.join(dataDir, 'ranp.sqlite'),
    checkpoints: path.join(dataDir, 'checkpoints'),
    predictions: path.join(dataDir, 'predictions'),
    scores: path.join(dataDir, 'scores'),
    artifacts: path.join(dataDir, 'artifacts'),
    staging: path.join(dataDir, 'staging'),
  };
}
