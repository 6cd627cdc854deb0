import { z } from 'zod';
import { TaskSchema, TripleSchema } from './common.js';

/** A dataset the app ships or knows about (the bundled samples). */
export const DatasetEntrySchema = z.object({
  name: z.string(),
  task: TaskSchema,
  path: z.string(),
  description: z.string(),
});

export const DatasetProblemSchema = z.object({ file: z.string(), problem: z.string() });

/** What the data check found in a folder, worded for the dataset panel. */
export const DatasetReportSchema = z.object({
  path: z.string(),
  task: TaskSchema,
  ok: z.boolean(),
  splits: z.array(
    z.object({ split: z.enum(['train', 'val', 'test']), samples: z.number().int().nonnegative() }),
  ),
  sampleSize: TripleSchema.optional(),
  inputChannels: z.number().int().nonnegative().optional(),
  classes: z.number().int().nonnegative().optional(),
  problems: z.array(DatasetProblemSchema),
  summary: z.string(),
});

export type DatasetEntry = z.infer<typeof DatasetEntrySchema>;
export type DatasetReport = z.infer<typeof DatasetReportSchema>;
