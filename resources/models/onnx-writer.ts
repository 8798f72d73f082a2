// A minimal ONNX (protobuf) encoder for the small test models the project generates: just enough of
// ModelProto, GraphProto, NodeProto, TensorProto and ValueInfoProto, without a protobuf dependency.
// Field numbers are those of onnx/onnx.proto3.

export type ElemType = 'float32' | 'int64' | 'int32';

const DATA_TYPE: Record<ElemType, number> = { float32: 1, int32: 6, int64: 7 };

export interface TensorInit {
  name: string;
  type: ElemType;
  dims: readonly number[];
  /** float32: Float32Array; int32: Int32Array; int64: BigInt64Array. Stored little-endian as raw_data. */
  data: Float32Array | Int32Array | BigInt64Array;
}

export interface ValueInfo {
  name: string;
  type: ElemType;
  /** A number is a fixed dimension, a string a symbolic (dynamic) one. */
  shape: readonly (number | string)[];
}

export type AttributeValue = number | string | readonly number[] | { float: number };

export interface NodeInit {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** Integers are INT, `{ float }` is FLOAT, strings are STRING, arrays of integers are INTS. */
  attributes?: Record<string, AttributeValue>;
}

export interface ModelInit {
  graphName: string;
  nodes: readonly NodeInit[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  initializers: readonly TensorInit[];
  irVersion?: number;
  opset?: number;
  producer?: string;
  docString?: string;
}

/** Protocol buffer writer: varints, length-delimited fields and nested messages. */
class Writer {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: 0 | 2 | 5): void {
    this.varint(BigInt((field << 3) | wire));
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated varints (proto3 default for repeated scalars). */
  packed(field: number, values: readonly (number | bigint)[]): this {
    const inner = new Writer();
    for (const v of values) inner.varint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

function littleEndian(data: TensorInit['data']): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(i * 4, v, true));
  else data.forEach((v, i) => view.setBigInt64(i * 8, v, true));
  return out;
}

function writeTensor(w: Writer, t: TensorInit): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} hold ${count} values, got ${t.data.length}`);
  const expected = t.type === 'float32' ? Float32Array : t.type === 'int32' ? Int32Array : BigInt64Array;
  if (!(t.data instanceof expected)) throw new Error(`tensor ${t.name}: data does not match type ${t.type}`);
  w.packed(1, t.dims).int(2, DATA_TYPE[t.type]).string(8, t.name).bytes(9, littleEndian(t.data));
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, DATA_TYPE[v.type]).message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      }),
    ),
  );
}

function writeAttribute(w: Writer, name: string, value: AttributeValue): void {
  // AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
  w.string(1, name);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: use { float } for non-integers`);
    w.int(3, value).int(20, 2);
  } else if (typeof value === 'string') {
    w.string(4, value).int(20, 3);
  } else if ('float' in value) {
    w.float(2, value.float).int(20, 1);
  } else {
    w.packed(8, value).int(20, 7);
  }
}

function writeNode(w: Writer, n: NodeInit): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, (a) => writeAttribute(a, name, value));
}

/** Serialises a single-graph model in the default ONNX domain. */
export function encodeModel(model: ModelInit): Uint8Array {
  const w = new Writer();
  w.int(1, model.irVersion ?? 8);
  w.string(2, model.producer ?? 'shoebox');
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => {
    for (const n of model.nodes) g.message(1, (m) => writeNode(m, n));
    g.string(2, model.graphName);
    for (const t of model.initializers) g.message(5, (m) => writeTensor(m, t));
    for (const v of model.inputs) g.message(11, (m) => writeValueInfo(m, v));
    for (const v of model.outputs) g.message(12, (m) => writeValueInfo(m, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, model.opset ?? 17));
  return w.finish();
}
