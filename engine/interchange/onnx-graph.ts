import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { WeightEntry } from '../nn/weights.js';

const { onnx } = onnxProto;

/** A dimension of a graph input or output: a fixed size or a named free one ('batch'). */
export type Dimension = number | string;

type Attribute = OnnxTypes.IAttributeProto;

export const attr = {
  int: (name: string, i: number): Attribute => ({ name, type: onnx.AttributeProto.AttributeType.INT, i }),
  ints: (name: string, ints: readonly number[]): Attribute => ({
    name,
    type: onnx.AttributeProto.AttributeType.INTS,
    ints: [...ints],
  }),
  float: (name: string, f: number): Attribute => ({
    name,
    type: onnx.AttributeProto.AttributeType.FLOAT,
    f,
  }),
  string: (name: string, s: string): Attribute => ({
    name,
    type: onnx.AttributeProto.AttributeType.STRING,
    s: Buffer.from(s, 'utf8'),
  }),
};

function littleEndian(values: Float32Array | BigInt64Array): Uint8Array {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  // ONNX raw_data is little-endian; copy and swap on a big-endian host.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const copy = Buffer.from(bytes);
  return values instanceof Float32Array ? copy.swap32() : copy.swap64();
}

/**
 * An ONNX graph being built: float32 inputs and outputs, initializers, nodes in topological order.
 * Serialized with the onnx-proto message classes (protobufjs), so the bytes are ONNX's own schema.
 */
export class OnnxGraph {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly initializers: OnnxTypes.ITensorProto[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  /** Tensor names (inputs, initializers, node outputs) and node names: each must be unique. */
  private readonly tensorNames = new Set<string>();
  private readonly nodeNames = new Set<string>();

  constructor(readonly name: string) {}

  private claim(name: string, names = this.tensorNames): string {
    if (names.has(name)) throw new Error(`ONNX graph '${this.name}': the name '${name}' is used twice`);
    names.add(name);
    return name;
  }

  private static valueInfo(name: string, dims: readonly Dimension[]): OnnxTypes.IValueInfoProto {
    return {
      name,
      type: {
        tensorType: {
          elemType: onnx.TensorProto.DataType.FLOAT,
          shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    };
  }

  input(name: string, dims: readonly Dimension[]): string {
    this.inputs.push(OnnxGraph.valueInfo(this.claim(name), dims));
    return name;
  }

  output(name: string, dims: readonly Dimension[]): void {
    this.outputs.push(OnnxGraph.valueInfo(name, dims));
  }

  /** A float32 initializer (a weight). */
  weight(name: string, { shape, values }: WeightEntry): string {
    this.initializers.push({
      name: this.claim(name),
      dataType: onnx.TensorProto.DataType.FLOAT,
      dims: shape,
      rawData: littleEndian(values),
    });
    return name;
  }

  /** An int64 initializer (shapes, axes, sizes). */
  int64s(name: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    this.initializers.push({
      name: this.claim(name),
      dataType: onnx.TensorProto.DataType.INT64,
      dims: [...shape],
      rawData: littleEndian(BigInt64Array.from(values.map(BigInt))),
    });
    return name;
  }

  /** A float32 scalar initializer (Clip's bounds). */
  scalar(name: string, value: number): string {
    return this.weight(name, { shape: [], values: Float32Array.of(value) });
  }

  /** A node; its single output is named `output` (default: the node's name). '' skips an optional input. */
  node(
    opType: string,
    name: string,
    inputs: readonly string[],
    attributes: Attribute[] = [],
    output = name,
  ): string {
    this.nodes.push({
      opType,
      name: this.claim(name, this.nodeNames),
      input: [...inputs],
      output: [this.claim(output)],
      attribute: attributes,
    });
    return output;
  }

  /** The serialized ModelProto. */
  encode(options: { opset: number; producer: string; doc: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: onnx.Version.IR_VERSION,
      opsetImport: [{ domain: '', version: options.opset }],
      producerName: options.producer,
      docString: options.doc,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    const problem = onnx.ModelProto.verify(model);
    if (problem) throw new Error(`ONNX model '${this.name}' is malformed: ${problem}`);
    return onnx.ModelProto.encode(model).finish();
  }
}
