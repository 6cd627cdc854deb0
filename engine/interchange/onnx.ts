import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureShape, LayerKind, LayerNodeOf, Padding3, Triple } from '../nn/description.js';
import { transposeCrop } from '../nn/layers/convTranspose3d.js';
import { ancestorsOf, inferShapes } from '../nn/shapes.js';
import { resolveWindow } from '../nn/window.js';
import { channelsFirstWeight } from './layout.js';
import {
  checkWeights,
  ExportError,
  prepareOutDir,
  weightOf,
  type NetExporter,
  type NetExportInput,
} from './exporter.js';
import { attr, OnnxGraph, type Dimension } from './onnx-graph.js';

/** Opset 13: every op below has its current form there (Clip and Resize take their bounds and sizes as inputs). */
export const ONNX_OPSET = 13;
export const ONNX_FILE = 'model.onnx';

/** ONNX pads: every axis's begin, then every axis's end. */
function onnxPads(padding: Padding3): number[] {
  return [...padding.map(([before]) => before), ...padding.map(([, after]) => after)];
}

interface Emitting<K extends LayerKind> {
  graph: OnnxGraph;
  node: LayerNodeOf<K>;
  /** Tensor names of the node's inputs, in order. */
  inputs: string[];
  inputShapes: FeatureShape[];
  /** Adds the layer's parameter as an initializer (channels-first) and returns its name. */
  param(name: string, shape?: number[]): string;
}

function spatialOf(shape: FeatureShape, layer: string): Triple {
  if (!shape.spatial) throw new ExportError(`layer '${layer}': expects a spatial input`);
  return shape.spatial;
}

/** Conv/pool window attributes resolved for the export's input size (the engine's own resolution). */
function windowAttributes(e: Emitting<'conv3d' | 'maxPool3d' | 'avgPool3d'>) {
  const window = resolveWindow(e.node.name, spatialOf(e.inputShapes[0], e.node.name), e.node.attrs);
  return [
    attr.ints('kernel_shape', window.kernel),
    attr.ints('strides', window.stride),
    attr.ints('pads', onnxPads(window.padding)),
  ];
}

/** How each layer kind becomes ONNX nodes; each returns the name of the tensor the layer outputs. */
const emitters: { [K in LayerKind]: (e: Emitting<K>) => string } = {
  input: (e) => e.inputs[0],
  conv3d: (e) =>
    e.graph.node(
      'Conv',
      e.node.name,
      [e.inputs[0], e.param('weight'), ...(e.node.attrs.bias ? [e.param('bias')] : [])],
      [...windowAttributes(e), attr.int('group', e.node.attrs.groups)],
    ),
  convTranspose3d: (e) => {
    const { kernel, stride, bias } = e.node.attrs;
    const crop = transposeCrop(spatialOf(e.inputShapes[0], e.node.name), e.node.attrs);
    return e.graph.node(
      'ConvTranspose',
      e.node.name,
      [e.inputs[0], e.param('weight'), ...(bias ? [e.param('bias')] : [])],
      [attr.ints('kernel_shape', kernel), attr.ints('strides', stride), attr.ints('pads', onnxPads(crop))],
    );
  },
  // Inference form: the running statistics (PyTorch's eval()).
  batchNorm3d: (e) =>
    e.graph.node(
      'BatchNormalization',
      e.node.name,
      [e.inputs[0], e.param('gamma'), e.param('beta'), e.param('runningMean'), e.param('runningVar')],
      [attr.float('epsilon', e.node.attrs.eps)],
    ),
  instanceNorm3d: (e) =>
    e.graph.node(
      'InstanceNormalization',
      e.node.name,
      [e.inputs[0], e.param('gamma'), e.param('beta')],
      [attr.float('epsilon', e.node.attrs.eps)],
    ),
  // Opset 13 has no GroupNormalization: instance-normalize the [N, G, C/G·D·H·W] view, then the per-channel affine.
  groupNorm3d: (e) => {
    const { name, attrs } = e.node;
    const groups = attrs.groups ?? 1;
    const [d, h, w] = spatialOf(e.inputShapes[0], name);
    const g = e.graph;
    const grouped = g.node('Reshape', `${name}/group`, [
      e.inputs[0],
      g.int64s(`${name}/groupShape`, [0, groups, -1]),
    ]);
    const unitScale = g.weight(`${name}/ones`, { shape: [groups], values: new Float32Array(groups).fill(1) });
    const zeroShift = g.weight(`${name}/zeros`, { shape: [groups], values: new Float32Array(groups) });
    const normalized = g.node(
      'InstanceNormalization',
      `${name}/normalize`,
      [grouped, unitScale, zeroShift],
      [attr.float('epsilon', attrs.eps)],
    );
    const back = g.node('Reshape', `${name}/ungroup`, [
      normalized,
      g.int64s(`${name}/shape`, [0, attrs.channels, d, h, w]),
    ]);
    const perChannel = [attrs.channels, 1, 1, 1];
    const scaled = g.node('Mul', `${name}/scale`, [back, e.param('gamma', perChannel)]);
    return g.node('Add', name, [scaled, e.param('beta', perChannel)]);
  },
  relu: (e) => e.graph.node('Relu', e.node.name, e.inputs),
  relu6: (e) =>
    e.graph.node('Clip', e.node.name, [
      e.inputs[0],
      e.graph.scalar(`${e.node.name}/min`, 0),
      e.graph.scalar(`${e.node.name}/max`, 6),
    ]),
  // ONNX MaxPool's padding never wins, as the engine's −∞ padding.
  maxPool3d: (e) => e.graph.node('MaxPool', e.node.name, [e.inputs[0]], windowAttributes(e)),
  avgPool3d: (e) =>
    e.graph.node(
      'AveragePool',
      e.node.name,
      [e.inputs[0]],
      [...windowAttributes(e), attr.int('count_include_pad', 1)],
    ),
  // Nearest source index floor(i · in / out), as the engine (and PyTorch's 'nearest') picks it.
  upsampleNearest3d: (e) => {
    const { name, attrs } = e.node;
    const source = spatialOf(e.inputShapes[0], name);
    const target =
      attrs.mode === 'matchSecondInput'
        ? spatialOf(e.inputShapes[1], name)
        : source.map((n, axis) => n * (attrs.scale as Triple)[axis]);
    const g = e.graph;
    const batchAndChannels = g.node('Slice', `${name}/nc`, [
      g.node('Shape', `${name}/shape`, [e.inputs[0]]),
      g.int64s(`${name}/starts`, [0]),
      g.int64s(`${name}/ends`, [2]),
    ]);
    const sizes = g.node(
      'Concat',
      `${name}/sizes`,
      [batchAndChannels, g.int64s(`${name}/spatial`, target)],
      [attr.int('axis', 0)],
    );
    return g.node(
      'Resize',
      name,
      [e.inputs[0], '', '', sizes],
      [
        attr.string('mode', 'nearest'),
        attr.string('coordinate_transformation_mode', 'asymmetric'),
        attr.string('nearest_mode', 'floor'),
      ],
    );
  },
  concat: (e) => e.graph.node('Concat', e.node.name, e.inputs, [attr.int('axis', 1)]),
  add: (e) => e.graph.node('Sum', e.node.name, e.inputs),
  globalAvgPool: (e) =>
    e.graph.node(
      'Flatten',
      e.node.name,
      [e.graph.node('GlobalAveragePool', `${e.node.name}/pool`, e.inputs)],
      [attr.int('axis', 1)],
    ),
  // Inference: dropout is the identity (kept as a node so the layer's name stays in the graph).
  dropout: (e) => e.graph.node('Identity', e.node.name, e.inputs),
  // Gemm with B = the engine's [in, out] weight as it is.
  linear: (e) =>
    e.graph.node('Gemm', e.node.name, [
      e.inputs[0],
      e.param('weight'),
      ...(e.node.attrs.bias ? [e.param('bias')] : []),
    ]),
  softmax: (e) => e.graph.node('Softmax', e.node.name, e.inputs, [attr.int('axis', 1)]),
};

function emit<K extends LayerKind>(e: Emitting<K>): string {
  return (emitters[e.node.kind] as (e: Emitting<K>) => string)(e);
}

/** The ONNX model (bytes) of a net: inference graph up to net.output, NCDHW input and output, batch free. */
export function netToOnnx(input: NetExportInput): Uint8Array {
  const { net } = input;
  checkWeights(input);
  const inputSize = input.inputSize ?? net.inputSize;
  const shapes = inferShapes(net, inputSize);
  const graph = new OnnxGraph(net.name);
  const tensorOf = new Map<string, string>();
  for (const node of ancestorsOf(net, net.output)) {
    if (node.kind === 'input') {
      tensorOf.set(node.name, graph.input(node.name, ['batch', net.inputChannels, ...inputSize]));
      continue;
    }
    const inputs = node.inputs.map((name) => tensorOf.get(name) as string);
    const inputShapes = node.inputs.map((name) => shapes.get(name) as FeatureShape);
    const param = (name: string, shape?: number[]) => {
      const entry =
        name === 'weight'
          ? channelsFirstWeight(node, weightOf(input, node.name, name))
          : weightOf(input, node.name, name);
      return graph.weight(`${node.name}.${name}`, shape ? { shape, values: entry.values } : entry);
    };
    tensorOf.set(node.name, emit({ graph, node, inputs, inputShapes, param }));
  }
  const out = shapes.get(net.output) as FeatureShape;
  const outputName = tensorOf.get(net.output) as string;
  graph.output(outputName, ['batch', out.channels, ...((out.spatial ?? []) as Dimension[])]);
  return graph.encode({
    opset: ONNX_OPSET,
    producer: 'RANP Studio',
    doc: `${net.name} (${Object.entries(net.meta)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(
        ', ',
      )}); input NCDHW [batch, ${net.inputChannels}, ${inputSize.join(', ')}], output ${outputName}: logits`,
  });
}

export const onnxExporter: NetExporter = {
  format: 'onnx',
  summary: `ONNX (opset ${ONNX_OPSET}) inference graph with the weights: ${ONNX_FILE}`,
  write(input, outDir) {
    const bytes = netToOnnx(input);
    prepareOutDir(outDir);
    const file = path.join(outDir, ONNX_FILE);
    writeFileSync(file, bytes);
    return [file];
  },
};
