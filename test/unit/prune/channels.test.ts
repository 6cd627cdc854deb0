import { describe, expect, it } from 'vitest';
import { buildChannelGraph } from '../../../engine/prune/channels.js';
import { cleanChannels } from '../../../engine/prune/cleaning.js';
import { keptPositions, prunedDescription } from '../../../engine/prune/pruned-net.js';
import { arrays, concatNet, inceptionNet, maskOf, residualNet } from './nets.js';
import type { Conv3dAttrs, NetDescription } from '../../../engine/nn/description.js';

function convAttrs(net: NetDescription, name: string): Conv3dAttrs {
  const node = net.nodes.find((n) => n.name === name);
  if (node?.kind !== 'conv3d') throw new Error(`no conv ${name}`);
  return node.attrs;
}

describe('coupling through concat (U-Net skip: skip first, then the deeper path)', () => {
  const net = concatNet();
  const graph = buildChannelGraph(net);

  it('maps the consumer input channels to [a0, a1, b0, b1, b2]', () => {
    const a = graph.channels.get('a')!;
    const b = graph.channels.get('b')!;
    expect([...graph.channels.get('cat')!]).toEqual([a[0], a[1], b[0], b[1], b[2]]);
    expect(new Set([...a, ...b]).size).toBe(5);
  });

  it('removing b1 removes the head input channel at offset 2 + 1', () => {
    const cleaned = cleanChannels(graph, maskOf({ a: [1, 1], b: [1, 0, 1], head: [0, 0] }));
    expect(arrays(cleaned.keptNeurons)).toEqual({ a: [1, 1], b: [1, 0, 1], head: [1, 1] });
    expect(keptPositions(graph, 'cat', cleaned.keptGroups)).toEqual([0, 1, 2, 4]);
    const pruned = prunedDescription(graph, cleaned.keptGroups, {});
    expect(convAttrs(pruned, 'head').inChannels).toBe(4);
    expect(convAttrs(pruned, 'b').outChannels).toBe(2);
    expect(pruned.nodes.find((n) => n.name === 'b.bn')?.attrs).toMatchObject({ channels: 2 });
  });

  it('removing a0 removes b input 0 and head input 0', () => {
    const cleaned = cleanChannels(graph, maskOf({ a: [0, 1], b: [1, 1, 1], head: [1, 1] }));
    const pruned = prunedDescription(graph, cleaned.keptGroups, {});
    expect(convAttrs(pruned, 'b').inChannels).toBe(1);
    expect(convAttrs(pruned, 'head').inChannels).toBe(4);
    expect(keptPositions(graph, 'cat', cleaned.keptGroups)).toEqual([1, 2, 3, 4]);
  });

  it('an emptied layer is reported by name, not patched', () => {
    const cleaned = cleanChannels(graph, maskOf({ a: [1, 1], b: [0, 0, 0], head: [1, 1] }));
    expect(cleaned.emptiedLayers).toEqual(['b']);
  });
});

describe('coupling through residual add and depthwise conv', () => {
  const net = residualNet();
  const graph = buildChannelGraph(net);

  it('stem j, depthwise j and projection j form one group', () => {
    for (let j = 0; j < 3; j++) {
      const group = graph.channels.get('stem')![j];
      expect(graph.channels.get('dw')![j]).toBe(group);
      expect(graph.channels.get('proj')![j]).toBe(group);
      expect(graph.channels.get('sum')![j]).toBe(group);
    }
    expect(new Set(graph.channels.get('stem')).size).toBe(3);
  });

  it('a group is kept iff any member is selected, and the kept partners are counted', () => {
    // Channel 0: only proj selected; channel 1: nothing selected; channel 2: all selected.
    const cleaned = cleanChannels(
      graph,
      maskOf({ stem: [0, 0, 1], dw: [0, 0, 1], proj: [1, 0, 1], head: [1, 1] }),
    );
    expect(arrays(cleaned.keptNeurons)).toEqual({
      stem: [1, 0, 1],
      dw: [1, 0, 1],
      proj: [1, 0, 1],
      head: [1, 1],
    });
    expect(cleaned.keptByCoupling).toBe(2); // stem0 and dw0
    const pruned = prunedDescription(graph, cleaned.keptGroups, {});
    expect(convAttrs(pruned, 'dw')).toMatchObject({ inChannels: 2, outChannels: 2, groups: 2 });
    expect(convAttrs(pruned, 'proj')).toMatchObject({ inChannels: 2, outChannels: 2 });
    expect(convAttrs(pruned, 'head').inChannels).toBe(2);
  });
});

describe('coupling through an inception concat [b0, b1b, b2b, b3b]', () => {
  const net = inceptionNet();
  const graph = buildChannelGraph(net);
  const all = { x: [1, 1], b0: [1], b1a: [1, 1], b1b: [1, 1], b2a: [1], b2b: [1], b3b: [1], head: [1, 1] };

  it('places the branches at offsets 0, 1, 3, 4', () => {
    const cat = graph.channels.get('cat')!;
    expect(cat[0]).toBe(graph.channels.get('b0')![0]);
    expect([cat[1], cat[2]]).toEqual([...graph.channels.get('b1b')!]);
    expect(cat[3]).toBe(graph.channels.get('b2b')![0]);
    expect(cat[4]).toBe(graph.channels.get('b3b')![0]);
    // The pool branch carries x's channels into b3b.
    expect([...graph.channels.get('b3a')!]).toEqual([...graph.channels.get('x')!]);
  });

  it('removing b1b neuron 1 removes head input 2', () => {
    const cleaned = cleanChannels(graph, maskOf({ ...all, b1b: [1, 0] }));
    expect(keptPositions(graph, 'cat', cleaned.keptGroups)).toEqual([0, 1, 3, 4]);
    expect(cleaned.emptiedLayers).toEqual([]);
  });

  it('backward cleaning: b1b emptied leaves b1a unused, so b1a goes too', () => {
    const cleaned = cleanChannels(graph, maskOf({ ...all, b1b: [0, 0] }));
    expect(cleaned.emptiedLayers).toEqual(['b1a', 'b1b']);
    expect(cleaned.removedByCleaning).toBe(2);
  });

  it('forward cleaning: b2a emptied leaves b2b without input, so b2b goes too', () => {
    const cleaned = cleanChannels(graph, maskOf({ ...all, b2a: [0] }));
    expect(cleaned.emptiedLayers).toEqual(['b2a', 'b2b']);
    expect(cleaned.emptiedBySelection).toEqual(['b2a']);
  });

  it('removing x1 removes that channel from every branch reading x (b0, b1a, b2a and through the pool b3b)', () => {
    const cleaned = cleanChannels(graph, maskOf({ ...all, x: [1, 0] }));
    const pruned = prunedDescription(graph, cleaned.keptGroups, {});
    for (const name of ['b0', 'b1a', 'b2a', 'b3b']) expect(convAttrs(pruned, name).inChannels).toBe(1);
    expect(convAttrs(pruned, 'head').inChannels).toBe(5);
  });
});
