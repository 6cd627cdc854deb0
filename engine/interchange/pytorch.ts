import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LayerKind, LayerNode, LayerNodeOf, PaddingSpec } from '../nn/description.js';
import { parameterEntries } from '../nn/model.js';
import { ancestorsOf, inferShapes } from '../nn/shapes.js';
import { channelsFirstWeight, linearForTorch } from './layout.js';
import {
  checkWeights,
  ExportError,
  prepareOutDir,
  type NetExporter,
  type NetExportInput,
} from './exporter.js';
import { encodeTorchStateDict, type TorchTensor } from './torch-save.js';

export const PYTORCH_MODULE_FILE = 'model.py';
export const PYTORCH_WEIGHTS_FILE = 'weights.pt';

/** The engine's parameter names → PyTorch's state-dict names. */
const TORCH_PARAM: Record<string, string> = {
  weight: 'weight',
  bias: 'bias',
  gamma: 'weight',
  beta: 'bias',
  runningMean: 'running_mean',
  runningVar: 'running_var',
};

const py = (value: unknown): string => {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `(${value.map(py).join(', ')}${value.length === 1 ? ',' : ''})`;
  return String(value);
};

/** A padding spec as the module's helpers take it: 'same' or ((d0, d1), (h0, h1), (w0, w1)). */
const pyPadding = (padding: PaddingSpec) => py(padding);

const isSymmetric = (padding: PaddingSpec) => padding !== 'same' && padding.every(([a, b]) => a === b);

interface Generated {
  /** The nn.Module the layer owns (registered under its name), if any. */
  module?: string;
  /** The layer's output as a Python expression. */
  forward: string;
}

/**
 * How each layer kind becomes PyTorch code (NCDHW); windows resolve at run time like the engine's.
 * `x`: the Python expressions of the layer's inputs; `layer`: of its module.
 */
type Generator<K extends LayerKind> = (node: LayerNodeOf<K>, x: string[], layer: string) => Generated;

const generators: { [K in LayerKind]: Generator<K> } = {
  input: (_node, x) => ({ forward: x[0] }),
  conv3d: ({ attrs: a }, x, layer) => {
    // Symmetric explicit padding goes to the conv itself; TF 'same' and asymmetric pads to F.pad.
    const inside = isSymmetric(a.padding);
    const padding = inside ? py((a.padding as [number, number][]).map(([p]) => p)) : '0';
    return {
      module: `nn.Conv3d(${a.inChannels}, ${a.outChannels}, ${py(a.kernel)}, stride=${py(a.stride)}, padding=${padding}, groups=${a.groups}, bias=${py(a.bias)})`,
      forward: inside
        ? `${layer}(${x[0]})`
        : `${layer}(_pad(${x[0]}, ${pyPadding(a.padding)}, ${py(a.kernel)}, ${py(a.stride)}))`,
    };
  },
  convTranspose3d: ({ attrs: a }, x, layer) => ({
    module: `nn.ConvTranspose3d(${a.inChannels}, ${a.outChannels}, ${py(a.kernel)}, stride=${py(a.stride)}, bias=${py(a.bias)})`,
    forward: `_crop(${layer}(${x[0]}), ${x[0]}, ${pyPadding(a.padding)}, ${py(a.kernel)}, ${py(a.stride)})`,
  }),
  batchNorm3d: ({ attrs: a }, x, layer) => ({
    module: `nn.BatchNorm3d(${a.channels}, eps=${a.eps}, momentum=${a.momentum ?? 0.1})`,
    forward: `${layer}(${x[0]})`,
  }),
  groupNorm3d: ({ attrs: a }, x, layer) => ({
    module: `nn.GroupNorm(${a.groups ?? 1}, ${a.channels}, eps=${a.eps})`,
    forward: `${layer}(${x[0]})`,
  }),
  instanceNorm3d: ({ attrs: a }, x, layer) => ({
    module: `nn.InstanceNorm3d(${a.channels}, eps=${a.eps}, affine=True)`,
    forward: `${layer}(${x[0]})`,
  }),
  relu: (_node, x) => ({ forward: `F.relu(${x[0]})` }),
  relu6: (_node, x) => ({ forward: `F.relu6(${x[0]})` }),
  maxPool3d: ({ attrs: a }, x) => ({
    forward: `_pool(F.max_pool3d, ${x[0]}, ${pyPadding(a.padding)}, ${py(a.kernel)}, ${py(a.stride)}, ${py(Boolean(a.clampKernel))}, float("-inf"))`,
  }),
  avgPool3d: ({ attrs: a }, x) => ({
    forward: `_pool(F.avg_pool3d, ${x[0]}, ${pyPadding(a.padding)}, ${py(a.kernel)}, ${py(a.stride)}, ${py(Boolean(a.clampKernel))}, 0.0)`,
  }),
  upsampleNearest3d: ({ attrs: a }, x) => ({
    forward:
      a.mode === 'matchSecondInput'
        ? `F.interpolate(${x[0]}, size=${x[1]}.shape[2:], mode="nearest")`
        : `F.interpolate(${x[0]}, size=[n * s for n, s in zip(${x[0]}.shape[2:], ${py(a.scale ?? [1, 1, 1])})], mode="nearest")`,
  }),
  concat: (_node, x) => ({ forward: `torch.cat([${x.join(', ')}], 1)` }),
  add: (_node, x) => ({ forward: x.join(' + ') }),
  globalAvgPool: (_node, x) => ({ forward: `${x[0]}.mean(dim=(2, 3, 4))` }),
  dropout: ({ attrs: a }, x) => ({ forward: `F.dropout(${x[0]}, ${a.rate}, self.training)` }),
  linear: ({ attrs: a }, x, layer) => ({
    module: `nn.Linear(${a.inFeatures}, ${a.outFeatures}, bias=${py(a.bias)})`,
    forward: `${layer}(${x[0]})`,
  }),
  softmax: (_node, x) => ({ forward: `F.softmax(${x[0]}, 1)` }),
};

function generate<K extends LayerKind>(node: LayerNodeOf<K>, x: string[], layer: string): Generated {
  return (generators[node.kind] as Generator<K>)(node, x, layer);
}

const HELPERS = `
def _same_padding(size, kernel, stride):
    """TensorFlow 'same' padding of one axis: (before, after), the extra one after."""
    total = max(kernel - stride, 0) if size % stride == 0 else max(kernel - size % stride, 0)
    return total // 2, total - total // 2


def _resolve(padding, spatial, kernel, stride):
    if padding == "same":
        return tuple(_same_padding(n, k, s) for n, k, s in zip(spatial, kernel, stride))
    return padding


def _pad(x, padding, kernel, stride, value=0.0):
    (d0, d1), (h0, h1), (w0, w1) = _resolve(padding, x.shape[2:], kernel, stride)
    if d0 == d1 == h0 == h1 == w0 == w1 == 0:
        return x
    return F.pad(x, (w0, w1, h0, h1, d0, d1), value=value)


def _pool(pool, x, padding, kernel, stride, clamp, fill):
    """Pads with fill (-inf for max: padding never wins; 0 for average: counted), clamps the kernel to the input if asked."""
    x = _pad(x, padding, kernel, stride, fill)
    if clamp:
        kernel = tuple(min(k, n) for k, n in zip(kernel, x.shape[2:]))
    return pool(x, kernel, stride)


def _crop(y, x, padding, kernel, stride):
    """What a transposed conv crops from its full output: given, or TF 'same' (output = input * stride)."""
    if padding == "same":
        padding = tuple(_same_padding(n * s, k, s) for n, k, s in zip(x.shape[2:], kernel, stride))
    (d0, d1), (h0, h1), (w0, w1) = padding
    D, H, W = y.shape[2:]
    return y[:, :, d0 : D - d1, h0 : H - h1, w0 : W - w1]
`;

/** The Python source of the net's module (its state-dict keys are the description's parameter names). */
export function netToPythonModule(input: NetExportInput): string {
  const { net } = input;
  const inputSize = input.inputSize ?? net.inputSize;
  const nodes = ancestorsOf(net, net.output);
  const modules: string[] = [];
  const forward: string[] = [];
  for (const node of nodes) {
    const inputs = node.kind === 'input' ? ['input'] : node.inputs.map((name) => `y[${py(name)}]`);
    const { module, forward: expression } = generate(
      node as LayerNode,
      inputs,
      `self.get_submodule(${py(node.name)})`,
    );
    if (module) modules.push(`        self._add(${py(node.name)}, ${module})`);
    forward.push(`        y[${py(node.name)}] = ${expression}`);
  }
  const meta = Object.entries(net.meta)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
  return `"""${net.name}, exported by RANP Studio${meta ? ` (${meta})` : ''}.

Self-contained: needs only PyTorch. Tensors are NCDHW: input [batch, ${net.inputChannels}, D, H, W], output
${inferShapes(net).get(net.output)?.spatial === null ? `[batch, ${net.classes}] class logits` : `[batch, ${net.classes}, D, H, W] per-voxel logits`}. The state-dict keys are the net description's
layer names, so the weights load with:

    net = Net()
    net.load_state_dict(torch.load("${PYTORCH_WEIGHTS_FILE}"))
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_CHANNELS = ${net.inputChannels}
CLASSES = ${net.classes}
INPUT_SIZE = ${py(inputSize)}
${HELPERS}

class Net(nn.Module):
    def __init__(self):
        super().__init__()
${modules.join('\n')}

    def _add(self, name, module):
        """Registers module under its dotted layer name (one child module per name part)."""
        parent = self
        *path, last = name.split(".")
        for part in path:
            if part not in parent._modules:
                parent.add_module(part, nn.Module())
            parent = parent._modules[part]
        parent.add_module(last, module)

    def forward(self, input):
        y = {}
${forward.join('\n')}
        return y[${py(net.output)}]


def load(weights="${PYTORCH_WEIGHTS_FILE}", map_location="cpu"):
    net = Net()
    net.load_state_dict(torch.load(weights, map_location=map_location))
    return net
`;
}

/** The state dict in PyTorch's names and layout (BatchNorm3d's num_batches_tracked included). */
export function netToTorchStateDict(input: NetExportInput): Map<string, TorchTensor> {
  checkWeights(input);
  const state = new Map<string, TorchTensor>();
  const kept = new Set(ancestorsOf(input.net, input.net.output).map((n) => n.name));
  for (const { key, layer, spec } of parameterEntries(input.net)) {
    if (!kept.has(layer.name)) continue;
    const torchName = TORCH_PARAM[spec.name];
    if (!torchName)
      throw new ExportError(`layer '${layer.name}': parameter '${spec.name}' has no PyTorch name`);
    const raw = input.weights.get(key) as NonNullable<ReturnType<typeof input.weights.get>>;
    const entry =
      spec.name !== 'weight'
        ? raw
        : layer.kind === 'linear'
          ? linearForTorch(raw)
          : channelsFirstWeight(layer, raw);
    state.set(`${layer.name}.${torchName}`, { dtype: 'float32', shape: entry.shape, values: entry.values });
    if (layer.kind === 'batchNorm3d' && spec.name === 'runningVar')
      state.set(`${layer.name}.num_batches_tracked`, { dtype: 'int64', shape: [], values: [0] });
  }
  return state;
}

export const pytorchExporter: NetExporter = {
  format: 'pytorch',
  summary: `PyTorch: ${PYTORCH_MODULE_FILE} (a self-contained nn.Module generated from the description) and ${PYTORCH_WEIGHTS_FILE} (its state dict, torch.load)`,
  write(input, outDir) {
    const weights = encodeTorchStateDict(netToTorchStateDict(input));
    const source = netToPythonModule(input);
    prepareOutDir(outDir);
    const files = [path.join(outDir, PYTORCH_MODULE_FILE), path.join(outDir, PYTORCH_WEIGHTS_FILE)];
    writeFileSync(files[0], source);
    writeFileSync(files[1], weights);
    return files;
  },
};
