import { z } from 'zod';
import { ScalarRecordSchema } from './common.js';

export const EngineStatusSchema = z.object({
  version: z.string(),
  mode: z.enum(['browser', 'electron', 'test']),
  /** The tfjs backend in use and what selection found (engine/backend report). */
  backend: z.object({ name: z.string(), details: ScalarRecordSchema }).nullable(),
  dataDir: z.string(),
  samplesDir: z.string(),
  /** Which requests this engine can answer now; the UI greys out the rest. */
  available: z.record(z.string(), z.boolean()),
});

export type EngineStatus = z.infer<typeof EngineStatusSchema>;
