import {
  DEFAULT_MEMORY_CONVENTION,
  MEMORY_CONVENTION_NAMES,
  MEMORY_CONVENTIONS,
} from '../../domain/memory.js';
import { optionalNumber, parseChoice, parseCommandArgs, parseInputSize, parseNetName } from '../args.js';
import type { CliCommand, CliIO } from '../command.js';
import { formatTable, humanCount } from '../format.js';
import { buildNet, listNets } from '../../nn/zoo/registry.js';
import { countResources, elementsToMB } from '../../resources/count.js';

const USAGE = `Usage: ranp info --net NAME [options]

Per-layer table of a zoo net at an input size (batch 1): type, in/out channels, output shape,
FLOPs (multiply-add = 1), params, feature-map memory; then totals.

Options:
  --net NAME          ${listNets()
    .map((n) => n.name)
    .join(' | ')}
  --input N|DxHxW     spatial input size (default: the net's training size)
  --width W           channel width multiplier (default 1)
  --classes N         output classes (default: the task's)
  --in-channels N     input channels (default: the task's)
  --memory C          which outputs feature-map memory sums: ${MEMORY_CONVENTION_NAMES.map((c) => `${c} (${MEMORY_CONVENTIONS[c].description})`).join('; ')}; default ${DEFAULT_MEMORY_CONVENTION}
  --prunable          list only prunable layers (totals still cover the whole net)
  --json              machine-readable output (exact numbers)`;

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'per-layer FLOPs, params and memory of a zoo net',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      net: { type: 'string' },
      input: { type: 'string' },
      width: { type: 'string' },
      classes: { type: 'string' },
      'in-channels': { type: 'string' },
      memory: { type: 'string', default: DEFAULT_MEMORY_CONVENTION },
      prunable: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const net = buildNet(parseNetName(values.net), {
      inputSize: values.input === undefined ? undefined : parseInputSize(values.input),
      width: optionalNumber('width', values.width, 'a positive number'),
      classes: optionalNumber('classes', values.classes, 'a positive integer'),
      inputChannels: optionalNumber('in-channels', values['in-channels'], 'a positive integer'),
    });
    const convention = parseChoice('memory', values.memory, MEMORY_CONVENTION_NAMES)!;
    const report = countResources(net, undefined, convention);
    if (values.json) {
      io.out(JSON.stringify(report, null, 2));
      return 0;
    }
    const layers = values.prunable ? report.layers.filter((l) => l.prunable) : report.layers;
    const rows = layers.map((l) => [
      l.name,
      l.kind + (l.prunable ? '*' : ''),
      l.inChannels,
      l.outChannels,
      l.outputShape.spatial ? l.outputShape.spatial.join('×') : 'flat',
      humanCount(l.flops),
      humanCount(l.params),
      l.memoryElements ? elementsToMB(l.memoryElements).toFixed(2) : '-',
    ]);
    const { totals } = report;
    io.out(
      [
        `${net.name} at input ${report.inputSize.join('×')} × ${net.inputChannels} ch, ${net.classes} classes, width ${net.meta.width ?? 1} (batch 1; * = prunable)`,
        '',
        formatTable(['layer', 'type', 'in', 'out', 'output', 'FLOPs', 'params', 'mem MB'], rows),
        '',
        `total: ${humanCount(totals.flops)} FLOPs (${totals.flops}), ${humanCount(totals.params)} params (${totals.params}, ${elementsToMB(totals.params).toFixed(2)} MB), ` +
          `${totals.memoryMB.toFixed(2)} MB feature maps (${totals.memoryElements} elements, ${MEMORY_CONVENTIONS[convention].label}), ` +
          `${report.layers.filter((l) => l.prunable).length} prunable layers`,
      ].join('\n'),
    );
    return 0;
  },
};
