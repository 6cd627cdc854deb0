import { parseArgs } from 'node:util';
import { UsageError, type CliCommand, type CliIO } from '../command.js';
import type { Triple } from '../../nn/description.js';
import { buildNet, listNets } from '../../nn/zoo/registry.js';
import { countResources } from '../../resources/count.js';
import { formatTable } from './runs.js';

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
  --prunable          list only prunable layers (totals still cover the whole net)
  --json              machine-readable output (exact numbers)`;

export function parseInputSize(text: string): Triple {
  const parts = text.split(/[x×,]/).map((p) => Number(p.trim()));
  const size = parts.length === 1 ? [parts[0], parts[0], parts[0]] : parts;
  if (size.length !== 3 || size.some((n) => !Number.isInteger(n) || n < 1))
    throw new UsageError(`--input must be N or DxHxW with positive integers, got '${text}'`);
  return size as Triple;
}

function parseNumber(flag: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || (integer && !Number.isInteger(value)))
    throw new UsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  return value;
}

/** 1234567 → '1.23M' (SI prefixes, 3 significant digits). */
export function humanCount(value: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(value) >= s) ?? [1, ''];
  return `${Number((value / scale).toPrecision(3))}${unit}`;
}

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'per-layer FLOPs, params and memory of a zoo net',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          net: { type: 'string' },
          input: { type: 'string' },
          width: { type: 'string' },
          classes: { type: 'string' },
          'in-channels': { type: 'string' },
          prunable: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (!values.net) throw new UsageError('--net is required');
    if (!listNets().some((n) => n.name === values.net))
      throw new UsageError(
        `unknown net '${values.net}' (known: ${listNets()
          .map((n) => n.name)
          .join(', ')})`,
      );
    const net = buildNet(values.net, {
      inputSize: values.input === undefined ? undefined : parseInputSize(values.input),
      width: parseNumber('--width', values.width, false),
      classes: parseNumber('--classes', values.classes, true),
      inputChannels: parseNumber('--in-channels', values['in-channels'], true),
    });
    const report = countResources(net);
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
      l.memoryElements ? ((l.memoryElements * 4) / 2 ** 20).toFixed(2) : '-',
    ]);
    const { totals } = report;
    io.out(
      [
        `${net.name} at input ${report.inputSize.join('×')} × ${net.inputChannels} ch, ${net.classes} classes, width ${net.meta.width ?? 1} (batch 1; * = prunable)`,
        '',
        formatTable(['layer', 'type', 'in', 'out', 'output', 'FLOPs', 'params', 'mem MB'], rows),
        '',
        `total: ${humanCount(totals.flops)} FLOPs (${totals.flops}), ${humanCount(totals.params)} params (${totals.params}, ${((totals.params * 4) / 2 ** 20).toFixed(2)} MB), ` +
          `${totals.memoryMB.toFixed(2)} MB feature maps (${totals.memoryElements} elements), ` +
          `${report.layers.filter((l) => l.prunable).length} prunable layers`,
      ].join('\n'),
    );
    return 0;
  },
};
