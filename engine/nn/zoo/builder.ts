import type {
  LayerAttrsByKind,
  LayerKind,
  LayerNode,
  NetDescription,
  PaddingSpec,
  Triple,
} from '../description.js';

/** Options every zoo net takes (docs/method.md section 2). */
export interface NetOptions {
  /** Spatial input size (D, H, W); default the task's training size. */
  inputSize?: Triple;
  classes?: number;
  inputChannels?: number;
  /** Channel width multiplier (scales every layer's channels). */
  width?: number;
}

/** Channels scaled by a width multiplier, truncated as Python's int() does in the reference nets. */
export function widen(channels: number, width: number): number {
  return Math.max(1, Math.floor(channels * width + 1e-9));
}

export function cube(n: number): Triple {
  return [n, n, n];
}

/** Explicit symmetric padding of p on every axis. */
export function padAll(p: number | Triple): PaddingSpec {
  const t = typeof p === 'number' ? cube(p) : p;
  return [
    [t[0], t[0]],
    [t[1], t[1]],
    [t[2], t[2]],
  ];
}

export function checkOptions(net: string, options: NetOptions): void {
  const positive = (what: string, v: number | undefined, integer: boolean) => {
    if (v !== undefined && (!(v > 0) || (integer && !Number.isInteger(v))))
      throw new Error(`net '${net}': ${what} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  };
  positive('classes', options.classes, true);
  positive('inputChannels', options.inputChannels, true);
  positive('width', options.width, false);
  options.inputSize?.forEach((n) => positive('input size', n, true));
}

/** Appends nodes in topological order; each helper returns the new node's name. */
export class NetBuilder {
  readonly nodes: LayerNode[] = [];

  add<K extends LayerKind>(
    kind: K,
    name: string,
    inputs: string[],
    attrs: LayerAttrsByKind[K],
    options: { functional?: true } = {},
  ): string {
    this.nodes.push({ name, kind, inputs, attrs, ...options } as LayerNode);
    return name;
  }

  conv(
    name: string,
    input: string,
    attrs: {
      inChannels: number;
      outChannels: number;
      kernel: Triple;
      stride?: Triple;
      padding: PaddingSpec;
      groups?: number;
      bias?: boolean;
    },
  ): string {
    return this.add('conv3d', name, [input], {
      inChannels: attrs.inChannels,
      outChannels: attrs.outChannels,
      kernel: attrs.kernel,
      stride: attrs.stride ?? cube(1),
      padding: attrs.padding,
      groups: attrs.groups ?? 1,
      bias: attrs.bias ?? false,
    });
  }

  describe(fields: Omit<NetDescription, 'format' | 'version' | 'nodes'>): NetDescription {
    return { format: 'ranp-net', version: 1, nodes: this.nodes, ...fields };
  }
}
