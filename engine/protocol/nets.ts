import { z } from 'zod';
import { MemoryConventionSchema, ResourceTotalsSchema, TaskSchema, TripleSchema } from './common.js';

export const NetEntrySchema = z.object({
  name: z.string(),
  task: TaskSchema,
  title: z.string(),
  prunableLayers: z.number().int().nonnegative(),
  inputSize: TripleSchema,
});

/** One node of a net's graph as the pruning view draws it. */
export const GraphNodeSchema = z.object({
  name: z.string(),
  kind: z.string(),
  inputs: z.array(z.string()),
  /** Output channels (neurons for prunable layers). */
  channels: z.number().int().nonnegative(),
  prunable: z.boolean(),
});

export const LayerResourcesSchema = ResourceTotalsSchema.extend({ name: z.string(), kind: z.string() });

export const NetInfoSchema = z.object({
  name: z.string(),
  task: TaskSchema,
  inputSize: TripleSchema,
  nodes: z.array(GraphNodeSchema),
  totals: ResourceTotalsSchema,
  /** Which outputs the memory figures sum (engine/domain/memory.ts). */
  memoryConvention: MemoryConventionSchema,
  layers: z.array(LayerResourcesSchema),
});

export type NetEntry = z.infer<typeof NetEntrySchema>;
export type GraphNode = z.infer<typeof GraphNodeSchema>;
export type NetInfo = z.infer<typeof NetInfoSchema>;
