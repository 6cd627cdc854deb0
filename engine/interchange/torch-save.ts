import { zipSync, type Zippable } from 'fflate';

/**
 * A state dict in torch.save's zip format (what `torch.load` reads since PyTorch 1.6): a zip of
 * stored (uncompressed) records under one folder, `data.pkl` (pickle protocol 2 of an OrderedDict
 * of tensors, each a `torch._utils._rebuild_tensor_v2` call on a persistent storage id), one
 * `data/<id>` record of little-endian values per tensor, and `version`. No npm package writes it,
 * so this writes the few pickle opcodes that format uses; the PyTorch export test loads the result
 * with torch.load.
 */

export interface TorchTensor {
  dtype: 'float32' | 'int64';
  shape: readonly number[];
  /** Row-major values; int64 tensors as plain integers. */
  values: Float32Array | readonly number[];
}

/** Pickle opcodes (Python's Lib/pickletools.py names). */
const OP = {
  PROTO: 0x80,
  GLOBAL: 0x63,
  EMPTY_TUPLE: 0x29,
  MARK: 0x28,
  TUPLE: 0x74,
  REDUCE: 0x52,
  SETITEMS: 0x75,
  BINUNICODE: 0x58,
  BININT: 0x4a,
  NEWFALSE: 0x89,
  BINPERSID: 0x51,
  STOP: 0x2e,
} as const;

class PickleWriter {
  private readonly chunks: Buffer[] = [];

  op(code: number): this {
    this.chunks.push(Buffer.of(code));
    return this;
  }

  global(module: string, name: string): this {
    this.op(OP.GLOBAL).chunks.push(Buffer.from(`${module}\n${name}\n`, 'ascii'));
    return this;
  }

  string(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    this.op(OP.BINUNICODE).chunks.push(length, bytes);
    return this;
  }

  int(value: number): this {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31)
      throw new Error(`torch-save: ${value} does not fit a 32-bit pickle integer`);
    const bytes = Buffer.alloc(4);
    bytes.writeInt32LE(value);
    this.op(OP.BININT).chunks.push(bytes);
    return this;
  }

  tuple(items: readonly number[]): this {
    this.op(OP.MARK);
    for (const item of items) this.int(item);
    return this.op(OP.TUPLE);
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function contiguousStrides(shape: readonly number[]): number[] {
  const strides = shape.map(() => 1);
  for (let axis = shape.length - 2; axis >= 0; axis--) strides[axis] = strides[axis + 1] * shape[axis + 1];
  return strides;
}

function littleEndianData(tensor: TorchTensor): Uint8Array {
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.values.length !== count)
    throw new Error(`torch-save: ${tensor.values.length} values for shape [${tensor.shape.join(', ')}]`);
  const buffer = Buffer.alloc(count * (tensor.dtype === 'float32' ? 4 : 8));
  tensor.values.forEach((v, i) =>
    tensor.dtype === 'float32' ? buffer.writeFloatLE(v, 4 * i) : buffer.writeBigInt64LE(BigInt(v), 8 * i),
  );
  return buffer;
}

/** The bytes of `torch.save(state_dict)` for these tensors, in order; `archive` names the zip's folder. */
export function encodeTorchStateDict(
  tensors: ReadonlyMap<string, TorchTensor>,
  archive = 'archive',
): Uint8Array {
  const pickle = new PickleWriter()
    .op(OP.PROTO)
    .op(2)
    .global('collections', 'OrderedDict')
    .op(OP.EMPTY_TUPLE)
    .op(OP.REDUCE);
  pickle.op(OP.MARK);
  const records: Zippable = {};
  [...tensors].forEach(([name, tensor], index) => {
    const key = String(index);
    pickle.string(name).global('torch._utils', '_rebuild_tensor_v2');
    // (storage, storage_offset, size, stride, requires_grad, backward_hooks)
    pickle.op(OP.MARK);
    pickle
      .op(OP.MARK)
      .string('storage')
      .global('torch', tensor.dtype === 'float32' ? 'FloatStorage' : 'LongStorage')
      .string(key)
      .string('cpu')
      .int(tensor.values.length)
      .op(OP.TUPLE)
      .op(OP.BINPERSID);
    pickle.int(0).tuple(tensor.shape).tuple(contiguousStrides(tensor.shape)).op(OP.NEWFALSE);
    pickle.global('collections', 'OrderedDict').op(OP.EMPTY_TUPLE).op(OP.REDUCE);
    pickle.op(OP.TUPLE).op(OP.REDUCE);
    records[`${archive}/data/${key}`] = [littleEndianData(tensor), { level: 0 }];
  });
  pickle.op(OP.SETITEMS).op(OP.STOP);
  return zipSync(
    {
      [`${archive}/data.pkl`]: [pickle.bytes(), { level: 0 }],
      [`${archive}/byteorder`]: [Buffer.from('little'), { level: 0 }],
      ...records,
      [`${archive}/version`]: [Buffer.from('3\n'), { level: 0 }],
    },
    { level: 0 },
  );
}
