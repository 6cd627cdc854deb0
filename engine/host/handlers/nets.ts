import { isPrunable } from '../../nn/description.js';
import { buildNet, listNets as zooNets } from '../../nn/zoo/registry.js';
import { ProtocolError } from '../../protocol/errors.js';
import { countResources, elementsToMB } from '../../resources/count.js';
import type { Handler } from '../context.js';

export const listNets: Handler<'nets.list'> = async ({ task }) => ({
  nets: zooNets()
    .filter((n) => task === undefined || n.task === task)
    .map((n) => {
      const net = buildNet(n.name);
      return {
        name: n.name,
        task: n.task,
        title: n.summary,
        prunableLayers: net.nodes.filter(isPrunable).length,
        inputSize: net.inputSize,
      };
    }),
});

export const netInfo: Handler<'nets.info'> = async ({ name, inputSize }) => {
  if (!zooNets().some((n) => n.name === name)) throw new ProtocolError('not-found', `no net named '${name}'`);
  const net = buildNet(name, inputSize ? { inputSize } : {});
  const report = countResources(net, net.inputSize);
  const channels = new Map(report.layers.map((l) => [l.name, l.outChannels]));
  return {
    name,
    task: net.task,
    inputSize: net.inputSize,
    nodes: net.nodes.map((n) => ({
      name: n.name,
      kind: n.kind,
      inputs: n.inputs,
      channels: channels.get(n.name) ?? 0,
      prunable: isPrunable(n),
    })),
    totals: { flops: report.totals.flops, params: report.totals.params, memoryMB: report.totals.memoryMB },
    memoryConvention: report.memoryConvention,
    layers: report.layers.map((l) => ({
      name: l.name,
      kind: l.kind,
      flops: l.flops,
      params: l.params,
      memoryMB: elementsToMB(l.memoryElements),
    })),
  };
};
