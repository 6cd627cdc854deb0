import { z } from 'zod';

/** What happens to running and queued experiments when the last UI window closes. */
export const WhenUiClosesSchema = z.enum(['keep-running', 'interrupt']);

/** User settings the engine keeps (in its store) and applies itself. */
export const EngineSettingsSchema = z.object({
  whenUiCloses: WhenUiClosesSchema,
});

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = { whenUiCloses: 'keep-running' };

export type WhenUiCloses = z.infer<typeof WhenUiClosesSchema>;
export type EngineSettings = z.infer<typeof EngineSettingsSchema>;
