/**
 * The gzip inflater NodeMCU's Lua 5.1 firmware runs on an LFS image (`app/uzlib`, driven by
 * `app/lua/lflash.c`), with the same acceptance rules, so the simulated `node.LFS.reload`
 * fails where the board fails:
 *
 * - the gzip header: `1F 8B`, method 8, no reserved flag bits; the optional extra field, name,
 *   comment and header CRC are skipped unchecked;
 * - deflate blocks: stored (LEN must be the complement of NLEN), fixed and dynamic Huffman
 *   (a code longer than 15 bits, a symbol out of range or a code-length run past the table is a
 *   data error; over-subscribed tables are not refused, as in uzlib); block type 3 is an error;
 * - back references: the loader keeps a 16 KiB window and refuses a distance larger than that,
 *   or one that is not smaller than the number of bytes out so far (lflash.c `recall_byte`; a
 *   reference to the very first byte is refused too, as the firmware does);
 * - after the last block, the CRC-32 and the length (little-endian), which the caller checks.
 *
 * Input past the end reads as zero bytes. The output is returned as far as it got, so a caller
 * can replay the firmware's per-2 KiB checks in order.
 *
 * @module
 */

/** Why inflating stopped early. */
export type InflateFailure = "data" | "dictionary";

/** What {@link inflateGzip} found. */
export interface GzipInflation {
  /** The bytes inflated (all of them, or up to the failure). */
  output: Uint8Array;
  /** Set when the stream is refused; `output` then holds what came out before. */
  failure?: InflateFailure;
  /** The CRC-32 stored after the last block (when there was no failure). */
  storedCrc?: number;
  /** The length stored after the last block (when there was no failure). */
  storedLength?: number;
}

/** The loader's dictionary window (lflash.c `DICTIONARY_WINDOW`). */
export const DICTIONARY_WINDOW = 16384;

class Stop extends Error {
  constructor(readonly failure: InflateFailure) {
    super(failure);
  }
}

interface Tree {
  counts: Uint16Array;
  symbols: Uint16Array;
}

const LENGTH_BASE = [
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
];
const LENGTH_EXTRA = [
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
];
const DIST_BASE = [
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
];
const DIST_EXTRA = [
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function buildTree(lengths: ArrayLike<number>, count: number): Tree {
  const counts = new Uint16Array(16);
  const symbols = new Uint16Array(288);
  for (let i = 0; i < count; i++) counts[lengths[i]!]!++;
  counts[0] = 0;
  const offsets = new Uint16Array(16);
  for (let i = 0, sum = 0; i < 16; i++) {
    offsets[i] = sum;
    sum += counts[i]!;
  }
  for (let i = 0; i < count; i++) {
    const len = lengths[i]!;
    if (len !== 0) symbols[offsets[len]!++] = i;
  }
  return { counts, symbols };
}

const FIXED_LITERALS = buildTree(
  Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)),
  288,
);
const FIXED_DISTANCES = buildTree(new Array(30).fill(5), 30);

class BitReader {
  #at = 0;
  #bits = 0;
  #count = 0;
  constructor(readonly input: Uint8Array) {}
  byte(): number {
    return this.input[this.#at++] ?? 0;
  }
  bit(): number {
    if (this.#count === 0) {
      this.#bits = this.byte();
      this.#count = 8;
    }
    const b = this.#bits & 1;
    this.#bits >>>= 1;
    this.#count--;
    return b;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v |= this.bit() << i;
    return v;
  }
  align(): void {
    this.#count = 0;
  }
  u16(): number {
    return this.byte() | (this.byte() << 8);
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }
}

class Output {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  put(b: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = b;
  }
  copy(distance: number, length: number): void {
    if (distance > DICTIONARY_WINDOW || distance >= this.length) throw new Stop("dictionary");
    for (let i = 0; i < length; i++) this.put(this.bytes[this.length - distance]!);
  }
}

function decodeSymbol(r: BitReader, t: Tree): number {
  let sum = 0;
  let cur = 0;
  let len = 0;
  do {
    cur = 2 * cur + r.bit();
    if (++len === 16) throw new Stop("data");
    sum += t.counts[len]!;
    cur -= t.counts[len]!;
  } while (cur >= 0);
  sum += cur;
  if (sum < 0 || sum >= 288) throw new Stop("data");
  return t.symbols[sum]!;
}

function decodeTrees(r: BitReader): [Tree, Tree] {
  const hlit = r.bits(5) + 257;
  const hdist = r.bits(5) + 1;
  const hclen = r.bits(4) + 4;
  const lengths = new Uint8Array(288 + 32);
  for (let i = 0; i < hclen; i++) lengths[CODE_LENGTH_ORDER[i]!] = r.bits(3);
  const codeTree = buildTree(lengths, 19);
  lengths.fill(0, 0, 19);
  const limit = hlit + hdist;
  for (let n = 0; n < limit;) {
    const sym = decodeSymbol(r, codeTree);
    if (sym < 16) {
      lengths[n++] = sym;
      continue;
    }
    const fill = sym === 16 ? (lengths[n - 1] ?? 0) : 0;
    const run = sym === 16 ? r.bits(2) + 3 : sym === 17 ? r.bits(3) + 3 : r.bits(7) + 11;
    if (n + run > limit) throw new Stop("data");
    for (let i = 0; i < run; i++) lengths[n++] = fill;
  }
  return [buildTree(lengths, hlit), buildTree(lengths.subarray(hlit), hdist)];
}

function inflateBlock(r: BitReader, out: Output, literals: Tree, distances: Tree): void {
  for (;;) {
    const sym = decodeSymbol(r, literals);
    if (sym < 256) out.put(sym);
    else if (sym === 256) return;
    else {
      const i = sym - 257;
      const length = (LENGTH_BASE[i] ?? 0) + r.bits(LENGTH_EXTRA[i] ?? 0);
      const d = decodeSymbol(r, distances);
      const distance = (DIST_BASE[d] ?? 0) + r.bits(DIST_EXTRA[d] ?? 0);
      out.copy(distance, length);
    }
  }
}

function storedBlock(r: BitReader, out: Output): void {
  r.align();
  const length = r.u16();
  const inverse = r.u16();
  if (length !== (~inverse & 0xffff)) throw new Stop("data");
  for (let i = 0; i < length; i++) out.put(r.byte());
}

function skipGzipHeader(r: BitReader): void {
  if (r.byte() !== 0x1f || r.byte() !== 0x8b || r.byte() !== 8) throw new Stop("data");
  const flags = r.byte();
  if (flags & 0xe0) throw new Stop("data");
  for (let i = 0; i < 6; i++) r.byte();
  if (flags & 4) {
    const n = r.u16();
    for (let i = 0; i < n; i++) r.byte();
  }
  if (flags & 8) { while (r.byte() !== 0) { /* file name */ } }
  if (flags & 16) { while (r.byte() !== 0) { /* comment */ } }
  if (flags & 2) r.u16();
}

/**
 * Inflates a gzip file as NodeMCU's Lua 5.1 LFS loader does.
 *
 * @param file the whole file
 * @returns the output (as far as it got), the failure if any, the stored CRC and length
 *
 * @example
 * ```ts
 * import { inflateGzip } from "./lfs_inflate.ts";
 * import zlib from "node:zlib";
 * import assert from "node:assert/strict";
 * const data = new TextEncoder().encode("xyzzy ".repeat(100));
 * const result = inflateGzip(zlib.gzipSync(data));
 * assert.deepEqual(result.output, data);
 * assert.equal(result.storedLength, data.length);
 * ```
 */
export function inflateGzip(file: Uint8Array): GzipInflation {
  const r = new BitReader(file);
  const out = new Output();
  try {
    skipGzipHeader(r);
    let last = 0;
    do {
      last = r.bit();
      const type = r.bits(2);
      if (type === 0) storedBlock(r, out);
      else if (type === 1) inflateBlock(r, out, FIXED_LITERALS, FIXED_DISTANCES);
      else if (type === 2) inflateBlock(r, out, ...decodeTrees(r));
      else throw new Stop("data");
    } while (!last);
    r.align();
    const storedCrc = r.u32();
    const storedLength = r.u32();
    return { output: out.bytes.slice(0, out.length), storedCrc, storedLength };
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { output: out.bytes.slice(0, out.length), failure: error.failure };
  }
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/**
 * The CRC-32 gzip stores (IEEE, reflected, initial and final XOR 0xFFFFFFFF).
 *
 * @param bytes the data
 * @returns the CRC
 *
 * @example
 * ```ts
 * import { crc32 } from "./lfs_inflate.ts";
 * if (crc32(new TextEncoder().encode("123456789")) !== 0xcbf43926) throw new Error();
 * ```
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
