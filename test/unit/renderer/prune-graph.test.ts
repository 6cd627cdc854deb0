import { cleanup, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import PruneGraph from '../../../renderer/components/PruneGraph.svelte';
import { prunableEdges } from '../../../renderer/components/graph.js';
import type { GraphNode, PrunedLayer } from '../../../engine/protocol/index.js';

// Unmount between tests (vitest globals are off, so the library cannot register this itself).
afterEach(() => cleanup());

const node = (name: string, inputs: string[], prunable: boolean): GraphNode => ({
  name,
  kind: prunable ? 'conv3d' : 'relu',
  inputs,
  channels: 4,
  prunable,
});
// a → relu → b → pool → c ; concat(a-relu, c) → d : the skip a→d is an edge, a→c is not.
const nodes: GraphNode[] = [
  node('input', [], false),
  node('a', ['input'], true),
  node('a.relu', ['a'], false),
  node('b', ['a.relu'], true),
  node('pool', ['b'], false),
  node('c', ['pool'], true),
  { ...node('cat', ['a.relu', 'c'], false), kind: 'concat' },
  node('d', ['cat'], true),
];

const totals = (flops: number, memoryMB: number) => ({ flops, params: 10, memoryMB });
const layers: PrunedLayer[] = [
  { name: 'a', kind: 'conv3d', kept: 3, total: 4, before: totals(100, 2), after: totals(75, 1.5) },
  { name: 'b', kind: 'conv3d', kept: 0, total: 4, before: totals(50, 1), after: totals(0, 0) },
  { name: 'c', kind: 'conv3d', kept: 2, total: 4, before: totals(50, 1), after: totals(25, 0.5) },
  { name: 'd', kind: 'conv3d', kept: 4, total: 4, before: totals(20, 1), after: totals(20, 1) },
];

describe('prunableEdges', () => {
  it('links prunable layers through non-prunable nodes, including skips', () => {
    expect(prunableEdges(nodes)).toEqual([
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'd'],
      ['c', 'd'],
    ]);
  });
});

describe('PruneGraph', () => {
  it('shows kept/total per layer, marks an emptied layer and draws skip connections as arcs', () => {
    const { container } = render(PruneGraph, { layers, nodes });
    const rows = [...container.querySelectorAll('[data-layer]')];
    expect(rows.map((r) => r.getAttribute('data-layer'))).toEqual(['a', 'b', 'c', 'd']);
    expect(rows.map((r) => r.querySelector('.kept')?.textContent)).toEqual(['3/4', '0/4', '2/4', '4/4']);
    expect(rows[1].classList.contains('empty')).toBe(true);
    expect(rows[0].classList.contains('empty')).toBe(false);
    // Only the non-adjacent edge a→d is an arc.
    expect(container.querySelectorAll('path.edge')).toHaveLength(1);
    // FLOPs bars scale to the largest layer (100 → 150 px): a after = 75 → 112.5 px.
    const after = rows[0].querySelector('rect.after');
    expect(Number(after?.getAttribute('width'))).toBeCloseTo(112.5, 6);
  });
});
