/**
 * Just enough of Thrift's compact protocol to write Parquet metadata (page headers, the footer).
 * A struct is written field by field in increasing id order; `end()` closes it. Field ids are
 * delta-encoded against the previous field of the same struct, hence the stack.
 */
import type { ByteWriter } from './byte-writer.ts';

/** Compact-protocol type ids. */
const CT = { BOOL_TRUE: 1, BOOL_FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

export type ListElement = 'i32' | 'binary' | 'struct';
const ELEMENT: Record<ListElement, number> = { i32: CT.I32, binary: CT.BINARY, struct: CT.STRUCT };

export class ThriftWriter {
  private last = 0;
  private readonly stack: number[] = [];

  constructor(readonly out: ByteWriter) {}

  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | type);
    else {
      this.out.u8(type);
      this.out.zigzag(id);
    }
    this.last = id;
  }

  i32(id: number, v: number): this {
    this.field(id, CT.I32);
    this.out.zigzag(v);
    return this;
  }

  i64(id: number, v: number): this {
    this.field(id, CT.I64);
    this.out.zigzag(v);
    return this;
  }

  bool(id: number, v: boolean): this {
    this.field(id, v ? CT.BOOL_TRUE : CT.BOOL_FALSE);
    return this;
  }

  binary(id: number, v: string | Uint8Array): this {
    this.field(id, CT.BINARY);
    this.rawBinary(v);
    return this;
  }

  /** Open a struct-typed field; close it with end(). */
  struct(id: number): this {
    this.field(id, CT.STRUCT);
    return this.begin();
  }

  /** A list-typed field header; then write `size` elements (structs: begin() … end() each). */
  list(id: number, element: ListElement, size: number): this {
    this.field(id, CT.LIST);
    const type = ELEMENT[element];
    if (size < 15) this.out.u8((size << 4) | type);
    else {
      this.out.u8(0xf0 | type);
      this.out.varint(size);
    }
    return this;
  }

  /** A list element of type i32. */
  elementI32(v: number): this {
    this.out.zigzag(v);
    return this;
  }

  /** A binary field holding an integer's PLAIN bytes (a min/max statistic), without a temporary buffer. */
  plainInteger(id: number, int64: boolean, v: number): this {
    this.field(id, CT.BINARY);
    this.out.varint(int64 ? 8 : 4);
    if (int64) this.out.i64(v);
    else this.out.i32(v);
    return this;
  }

  /** A list element of type binary. */
  rawBinary(v: string | Uint8Array): this {
    if (typeof v === 'string') {
      // Straight into the buffer: a footer names every column twice, per file.
      this.out.varint(Buffer.byteLength(v, 'utf8'));
      this.out.utf8(v);
    } else {
      this.out.varint(v.length);
      this.out.bytes(v);
    }
    return this;
  }

  /** Start a struct (the top-level one, or a list element). */
  begin(): this {
    this.stack.push(this.last);
    this.last = 0;
    return this;
  }

  end(): this {
    this.out.u8(0);
    this.last = this.stack.pop() ?? 0;
    return this;
  }
}
