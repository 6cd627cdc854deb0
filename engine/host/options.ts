import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or packaged app) root, two levels above this file. */
export const APP_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SAMPLES_DIR = path.join(APP_ROOT, 'assets', 'samples');
export const DEFAULT_STATIC_DIR = path.join(APP_ROOT, 'dist', 'renderer');

export interface HostArgs {
  port: number;
  dataDir: string | undefined;
  samplesDir: string;
  staticDir: string;
  allow: string[];
  token: string | undefined;
}

/** Parses `--port N --data-dir D --samples D --static D --allow D (repeatable) --token T`. */
export function parseHostArgs(argv: string[]): HostArgs {
  const args: HostArgs = {
    port: 0,
    dataDir: undefined,
    samplesDir: DEFAULT_SAMPLES_DIR,
    staticDir: DEFAULT_STATIC_DIR,
    allow: [],
    token: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`engine host: ${flag} needs a value`);
    i++;
    switch (flag) {
      case '--port':
        args.port = Number(value);
        if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)
          throw new Error(`engine host: --port must be 0–65535, got '${value}'`);
        break;
      case '--data-dir':
        args.dataDir = path.resolve(value);
        break;
      case '--samples':
        args.samplesDir = path.resolve(value);
        break;
      case '--static':
        args.staticDir = path.resolve(value);
        break;
      case '--allow':
        args.allow.push(path.resolve(value));
        break;
      case '--token':
        args.token = value;
        break;
      default:
        throw new Error(`engine host: unknown option '${flag}'`);
    }
  }
  return args;
}
