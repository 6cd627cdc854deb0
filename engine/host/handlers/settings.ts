import {
  DEFAULT_ENGINE_SETTINGS,
  EngineSettingsSchema,
  type EngineSettings,
} from '../../protocol/settings.js';
import type { Store } from '../../store/index.js';
import type { Handler } from '../context.js';

const SETTINGS_KEY = 'engine';

/** The stored settings over the defaults; a stored value this build cannot read falls back to its default. */
export function readSettings(store: Store): EngineSettings {
  const stored = store.getSetting(SETTINGS_KEY);
  const merged = { ...DEFAULT_ENGINE_SETTINGS, ...(typeof stored === 'object' && stored ? stored : {}) };
  const checked = EngineSettingsSchema.safeParse(merged);
  return checked.success ? checked.data : DEFAULT_ENGINE_SETTINGS;
}

export const getSettings: Handler<'settings.get'> = async (_params, ctx) => readSettings(ctx.store());

export const setSettings: Handler<'settings.set'> = async (params, ctx) => {
  const store = ctx.store();
  const settings = { ...readSettings(store), ...params };
  store.setSetting(SETTINGS_KEY, settings);
  return settings;
};
