import { mkdirSync } from 'node:fs';
import type { NetDescription, Triple } from '../nn/description.js';
import { describeMismatch, parameterEntries } from '../nn/model.js';
import type { WeightEntry } from '../nn/weights.js';
import { isEmptyOrAbsent } from '../util/empty-folder.js';

/** What every exporter is given: a net (pruned or not) and every parameter it has, engine layout. */
export interface NetExportInput {
  net: NetDescription;
  /** Keyed `${layer}.${param}` (NetModel's variable keys), running statistics included. */
  weights: ReadonlyMap<string, WeightEntry>;
  /**
   * Spatial input size (D, H, W) the export is made for; default the net's. ONNX fixes it in the
   * graph (TF-style 'same' padding and clamped pools are resolved for it); PyTorch resolves them
   * at run time and only uses it in the module's INPUT_SIZE.
   */
  inputSize?: Triple;
}

/** One export format. A new format: one file here, one line in registry.ts. */
export interface NetExporter {
  format: string;
  summary: string;
  /** Writes the export into `outDir` (created; must be empty or absent); returns the files written. */
  write(input: NetExportInput, outDir: string): string[];
}

/** A net the export cannot express, or weights that do not fit it: names the layer and what is wrong. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** Refuses an export folder that already holds files (nothing is overwritten). */
export function checkOutDir(outDir: string): void {
  if (!isEmptyOrAbsent(outDir))
    throw new ExportError(
      `export folder ${outDir} already exists and is not empty; give a new or empty folder`,
    );
}

/** Creates `outDir` for an export after checkOutDir. */
export function prepareOutDir(outDir: string): void {
  checkOutDir(outDir);
  mkdirSync(outDir, { recursive: true });
}

/** Checks that the weights are exactly the net's parameters (names and shapes) before anything is written. */
export function checkWeights(input: NetExportInput): void {
  describeMismatch(
    `weights for net '${input.net.name}'`,
    new Map(parameterEntries(input.net).map(({ key, spec }) => [key, spec.shape])),
    new Map([...input.weights].map(([key, w]) => [key, w.shape])),
    false,
  );
}

/** The parameter `${layer}.${param}` (present after checkWeights). */
export function weightOf(input: NetExportInput, layer: string, param: string): WeightEntry {
  const entry = input.weights.get(`${layer}.${param}`);
  if (!entry) throw new ExportError(`net '${input.net.name}': no weights for '${layer}.${param}'`);
  return entry;
}
