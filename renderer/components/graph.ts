import type { GraphNode } from '../../engine/protocol/index.js';

/**
 * Edges between prunable layers: each prunable layer is linked to the nearest prunable layers
 * upstream, looking through norms, activations, pools, concats and adds. These are the couplings
 * the pruning view draws (skip connections show up as long edges).
 */
export function prunableEdges(nodes: GraphNode[]): [string, string][] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const memo = new Map<string, string[]>();
  const producers = (name: string): string[] => {
    const cached = memo.get(name);
    if (cached) return cached;
    const node = byName.get(name);
    const found = new Set<string>();
    for (const input of node?.inputs ?? []) {
      const upstream = byName.get(input);
      if (!upstream) continue;
      if (upstream.prunable) found.add(upstream.name);
      else for (const p of producers(upstream.name)) found.add(p);
    }
    const result = [...found];
    memo.set(name, result);
    return result;
  };
  return nodes
    .filter((n) => n.prunable)
    .flatMap((n) => producers(n.name).map((from): [string, string] => [from, n.name]));
}
