/**
 * Colour-blind-safe series colours (Okabe–Ito, then Tol's "muted" for more runs), as CSS values.
 * A run keeps its colour in every chart of a comparison and after a reload: colours go by the
 * order of the runs' ids, not by the order a chart happens to list them in.
 */
export const RUN_PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#332288',
  '#999933',
  '#882255',
  '#44aa99',
] as const;

export function runColours(ids: readonly string[]): Map<string, string> {
  const ordered = [...new Set(ids)].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  return new Map(ordered.map((id, i) => [id, RUN_PALETTE[i % RUN_PALETTE.length]]));
}
