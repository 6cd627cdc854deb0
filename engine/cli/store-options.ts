import { openStore, type Store } from '../store/index.js';

/** Where the experiment store is, as every command that reads it spells it. */
export const STORE_LOCATION_OPTIONS = {
  db: { type: 'string' },
  'data-dir': { type: 'string' },
} as const;

/** The same, plus --no-store, for the commands that can run without a store. */
export const STORE_OPTIONS = {
  ...STORE_LOCATION_OPTIONS,
  'no-store': { type: 'boolean' },
} as const;

/** The store the options name (default: the app's data folder). */
export function openStoreAt(values: { db?: string; 'data-dir'?: string }): Store {
  return openStore({ dbPath: values.db, dataDir: values['data-dir'] });
}

/** The store the options name, or none with --no-store. */
export function openStoreFrom(values: {
  db?: string;
  'data-dir'?: string;
  'no-store'?: boolean;
}): Store | undefined {
  return values['no-store'] ? undefined : openStoreAt(values);
}
