/**
 * The cells of a method × sparsity × seed grid, in the one order both the app's sweeps
 * (engine/host/handlers/experiment.ts startStudy) and cluster studies (study.ts) queue them: seed
 * outermost, so the first seed's whole grid ends first, then method, then sparsity. An axis left
 * out is a single cell that keeps the config's own value (its key is absent from the cells).
 */
export interface GridAxes {
  method?: readonly string[];
  sparsity?: readonly number[];
  seed?: readonly number[];
}

/** One cell: for each axis given, one of its values (typed as the axis' elements). */
export type GridCell<A extends GridAxes> = {
  -readonly [K in keyof A]: NonNullable<A[K]> extends readonly (infer T)[] ? T : never;
};

export function gridCells<const A extends GridAxes>(axes: A): GridCell<A>[] {
  const axis = <T>(values: readonly T[] | undefined): (T | undefined)[] =>
    values ? [...values] : [undefined];
  const cells: GridCell<A>[] = [];
  for (const seed of axis(axes.seed))
    for (const method of axis(axes.method))
      for (const sparsity of axis(axes.sparsity))
        cells.push({
          ...(method !== undefined && { method }),
          ...(sparsity !== undefined && { sparsity }),
          ...(seed !== undefined && { seed }),
        } as GridCell<A>);
  return cells;
}

/**
 * A config with a cell's values put in (seed at the top, method and sparsity under prune): the
 * experiment config a cell runs, for a raw config (a study file's) or a typed one (the app's).
 */
export function withCell<C extends Record<string, unknown>>(
  config: C,
  cell: { method?: string; sparsity?: number; seed?: number },
): C {
  const prune = config.prune;
  return {
    ...config,
    ...(cell.seed !== undefined && { seed: cell.seed }),
    ...((cell.method !== undefined || cell.sparsity !== undefined) && {
      prune: {
        ...(typeof prune === 'object' && prune !== null && !Array.isArray(prune) ? prune : {}),
        ...(cell.method !== undefined && { method: cell.method }),
        ...(cell.sparsity !== undefined && { sparsity: cell.sparsity }),
      },
    }),
  };
}
