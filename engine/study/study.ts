import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resolveConfig } from '../experiment/config.js';
import { StudyGridSchema } from '../protocol/experiment-config.js';
import type { JsonObject } from '../store/types.js';
import { gridCells, withCell } from './grid.js';

/**
 * A study: one experiment config run over a grid of pruning method × sparsity × seed, one task per
 * grid cell, so a scheduler's job array (SLURM, a Kubernetes Indexed Job) runs it a cell per index.
 *
 * The study file a user writes (YAML or JSON):
 *   name: brats-grid              # letters, digits, '-', '_' (names the jobs)
 *   config: experiment.yaml       # the experiment config: a file (relative to the study file) or inline
 *   grid:                         # each axis optional (default: the config's own value)
 *     method: [ranp-f, random]
 *     sparsity: [0.5, 0.78]
 *     seed: [0, 1, 2]
 * The resolved study (study.json, what every task reads) has the config inline and the cells listed
 * in the app's sweep order (grid.ts); task i runs cell i.
 */

export const STUDY_FORMAT = 'ranp-study';
export const STUDY_VERSION = 1;
/** The resolved study's name inside an exported study folder. */
export const STUDY_FILE = 'study.json';

const NameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/,
    "1–40 letters, digits, '-' or '_', starting with a letter or digit",
  );

const StudyInputSchema = z
  .object({
    name: NameSchema,
    config: z.union([z.string().min(1), z.record(z.string(), z.json())]),
    grid: StudyGridSchema,
  })
  .strict();

const CellSchema = z
  .object({
    index: z.number().int().nonnegative(),
    method: z.string().optional(),
    sparsity: z.number().optional(),
    seed: z.number().int().optional(),
  })
  .strict();

const ResolvedStudySchema = z
  .object({
    format: z.literal(STUDY_FORMAT),
    version: z.literal(STUDY_VERSION),
    name: NameSchema,
    config: z.record(z.string(), z.json()),
    grid: StudyGridSchema,
    cells: z.array(CellSchema).min(1),
  })
  .strict();

export type StudyCell = z.infer<typeof CellSchema>;
export type Study = z.infer<typeof ResolvedStudySchema>;

/** A study file or a resolved study that cannot be used: names the file and field. */
export class StudyError extends Error {
  override name = 'StudyError';
}

function readStructured(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StudyError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new StudyError(
      `${what} ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, source: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudyError(`${source}: field '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  return parsed.data;
}

/** The experiment config of one cell: the study's config with the cell's method, sparsity and seed. */
export function cellConfig(study: Pick<Study, 'config'>, cell: StudyCell): JsonObject {
  return withCell(study.config as JsonObject, cell);
}

/** How a cell reads in logs and origins: "method ranp-f, sparsity 0.5, seed 1". */
export function describeCell(cell: StudyCell): string {
  const parts = [
    cell.method !== undefined && `method ${cell.method}`,
    cell.sparsity !== undefined && `sparsity ${cell.sparsity}`,
    cell.seed !== undefined && `seed ${cell.seed}`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'the config as given';
}

/**
 * Reads a study file, inlines its config and expands the grid. Every cell's config is checked
 * (resolveConfig) here, so a bad method or sparsity fails at export, not on the cluster.
 */
export function resolveStudy(file: string): Study {
  const input = parseWith(StudyInputSchema, readStructured(file, 'study file'), `study file ${file}`);
  const configFile = typeof input.config === 'string' ? path.resolve(path.dirname(file), input.config) : null;
  const raw = configFile ? readStructured(configFile, 'experiment config') : input.config;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new StudyError(`experiment config ${configFile ?? `in ${file}`}: expected an object`);
  const config = raw as JsonObject;
  const cells: StudyCell[] = gridCells(input.grid).map((cell, index) => ({ index, ...cell }));
  for (const cell of cells)
    resolveConfig(
      cellConfig({ config }, cell),
      `study ${input.name} cell ${cell.index} (${describeCell(cell)})`,
    );
  return { format: STUDY_FORMAT, version: STUDY_VERSION, name: input.name, config, grid: input.grid, cells };
}

/** Reads a resolved study (study.json as `ranp study export` wrote it). */
export function readStudy(file: string): Study {
  return parseWith(ResolvedStudySchema, readStructured(file, 'study'), `study ${file}`);
}
