/**
 * Builds Lua 5.1 LFS images for tests, in the format `luac.cross -f` writes
 * (`app/lua/luac_cross/luac.c` and `lflashimg.c` of nodemcu-firmware), from Lua sources and a
 * compiler that returns standard Lua 5.1 chunks (`string.dump` of a real Lua 5.1 VM):
 *
 * 1. each source becomes a function tree; local variable and upvalue names are dropped, line
 *    numbers kept, as luac.cross's default debug level does;
 * 2. a lookup function is generated as luac.cross's main: called with a module name (the file
 *    name without directories and extensions) it returns that module's function, called with
 *    anything else the build time and the list of names;
 * 3. the image is laid out as lflashimg.c does: the 8-word header, the read-only string table
 *    (hash vector, then each string's header and characters), then the functions bottom-up
 *    (nested functions, their address vector, constants, code, the function record), every
 *    address a word offset tagged in the relocation bitmap;
 * 4. image + bitmap are gzipped with a 16 KiB window (what the firmware's inflater keeps); when
 *    the compressed stream would refer back to the very first byte, which the firmware refuses,
 *    the data is stored uncompressed instead.
 *
 * `tests/lfs_luac_cross_test.ts` compares its output with the real luac.cross's.
 *
 * @module
 */

import zlib from "node:zlib";
import { lfs51Signature, type Lua51NumberType } from "../../lib/sim/lfs_image51.ts";
import { crc32, inflateGzip } from "../../lib/sim/lfs_inflate.ts";
import { type Lua51Proto, readLua51Chunk } from "../../lib/sim/lfs_lua51_chunk.ts";
import { packLineInfo } from "../../lib/sim/lfs_proto51.ts";

/** A Lua source to put in the image. */
export interface LfsSource {
  /** File name as given to luac.cross (`lib/hello.lua`); the module is `hello`. */
  name: string;
  /** Its text. */
  source: string;
}

/** Options for {@link buildLfs51Image}. */
export interface BuildLfs51Options {
  /** Compiles Lua 5.1 source to a standard binary chunk (`string.dump`). */
  compile(source: string, chunkName: string): Uint8Array;
  /** The firmware's number type; `float` by default. */
  numberType?: Lua51NumberType;
  /** The build time stored in the image (Unix seconds); 1700000000 by default. */
  time?: number;
}

const OP = { LOADK: 1, NEWTABLE: 10, JMP: 22, EQ: 23, RETURN: 30, SETLIST: 34, CLOSURE: 36 };
const MAXARG_SBX = (1 << 17) - 1;
const abc = (op: number, a: number, b: number, c: number) =>
  (op | (a << 6) | (c << 14) | (b << 23)) >>> 0;
const abx = (op: number, a: number, bx: number) => (op | (a << 6) | (bx << 14)) >>> 0;

/**
 * luac.c `corename`: the module name of a chunk name, the file name without directories,
 * leading dots and extensions.
 *
 * @param source the chunk name (`@lib/.hidden.mod.lua`)
 * @returns the module name
 *
 * @example
 * ```ts
 * import { lfsModuleName } from "./lfs_image_builder.ts";
 * if (lfsModuleName("@lib/.x.min.lua") !== "x") throw new Error();
 * ```
 */
export function lfsModuleName(source: string): string {
  const fn = source.slice(1);
  let s = fn.slice(Math.max(fn.lastIndexOf("/"), fn.lastIndexOf("\\")) + 1);
  s = s.replace(/^\.+/, "");
  const dot = s.indexOf(".");
  const name = dot < 0 ? s : s.slice(0, dot);
  return name === "" ? fn : name;
}

/** lobject.c `luaO_int2fb`. */
function int2fb(x: number): number {
  let e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  return x < 8 ? x : ((e + 1) << 3) | (x - 8);
}

/** luac.c `combine` type 1: the lookup function. */
function lookupFunction(modules: Lua51Proto[], time: number): Lua51Proto {
  const n = modules.length;
  if (n > 50) throw new Error("luac.cross -f takes at most 50 modules");
  const code: number[] = [];
  for (let i = 0; i < n; i++) {
    code.push(abc(OP.EQ, 0, 0, i | 256), abx(OP.JMP, 0, MAXARG_SBX + 2));
    code.push(abx(OP.CLOSURE, 1, i), abc(OP.RETURN, 1, 2, 0));
  }
  code.push(abx(OP.LOADK, 1, n), abc(OP.NEWTABLE, 2, int2fb(n), 0));
  for (let i = 0; i < n; i++) code.push(abx(OP.LOADK, i + 3, i));
  code.push(abc(OP.SETLIST, 2, n, 1), abc(OP.RETURN, 1, 3, 0), abc(OP.RETURN, 0, 1, 0));
  return {
    source: "=(luac)",
    lineDefined: 0,
    lastLineDefined: 0,
    nups: 0,
    numParams: 1,
    isVararg: 0,
    maxStackSize: n + 3,
    code,
    constants: [
      ...modules.map((m) => ({ type: "string" as const, value: lfsModuleName(m.source ?? "") })),
      { type: "number", value: time },
    ],
    protos: modules,
    lineInfo: [],
    locVars: [],
    upvalueNames: [],
  };
}

/** Drops local and upvalue names, as luac.cross's default debug level does. */
function stripNames(f: Lua51Proto, parentSource: string | undefined): Lua51Proto {
  const source = f.source ?? parentSource;
  return {
    ...f,
    source,
    locVars: [],
    upvalueNames: [],
    protos: f.protos.map((p) => stripNames(p, source)),
  };
}

/**
 * lstring.c's hash of a Lua 5.1 string (seeded with its length; long strings sampled).
 *
 * @param s the string (one character per byte)
 * @returns the hash
 *
 * @example
 * ```ts
 * import { lua51StringHash } from "./lfs_image_builder.ts";
 * if (lua51StringHash("") !== 0) throw new Error();
 * ```
 */
export function lua51StringHash(s: string): number {
  let h = s.length >>> 0;
  const step = (s.length >> 5) + 1;
  for (let l1 = s.length; l1 >= step; l1 -= step) {
    h = (h ^ (((h << 5) >>> 0) + (h >>> 2) + (s.charCodeAt(l1 - 1) & 0xff))) >>> 0;
  }
  return h;
}

class FlashImage {
  words: number[] = [];
  tags = new Set<number>();
  alloc(bytes: number): number {
    const at = this.words.length;
    for (let i = 0; i < Math.ceil(bytes / 4); i++) this.words.push(0);
    return at;
  }
  /** Stores a word offset in `slot`, tagged as an address (0 stays untagged NULL). */
  address(slot: number, target: number | undefined): void {
    if (target === undefined) return;
    this.words[slot] = target;
    this.tags.add(slot);
  }
  bytesAt(at: number, data: ArrayLike<number>): void {
    for (let i = 0; i < data.length; i++) {
      const w = at + (i >> 2);
      this.words[w] = (this.words[w]! | ((data[i]! & 0xff) << (8 * (i & 3)))) >>> 0;
    }
  }
}

function collectStrings(f: Lua51Proto, into: Set<string>): void {
  if (f.source !== undefined) into.add(f.source);
  if (f.lineInfo.length > 0) into.add(packLineInfo(f.lineInfo));
  for (const k of f.constants) if (k.type === "string") into.add(k.value);
  for (const n of f.upvalueNames) into.add(n);
  for (const v of f.locVars) into.add(v.name);
  for (const p of f.protos) collectStrings(p, into);
}

function stringTable(img: FlashImage, strings: Set<string>): Map<string, number> {
  const count = strings.size;
  const size = 2 << Math.floor(Math.log2(Math.max(1, count)));
  const table = img.alloc(size * 4);
  img.address(3, table);
  img.words[4] = count;
  img.words[5] = size;
  const where = new Map<string, number>();
  for (const s of strings) {
    const hash = lua51StringHash(s);
    const bucket = table + (hash % size);
    const head = img.tags.has(bucket) ? img.words[bucket] : undefined;
    const ts = img.alloc(16);
    img.address(bucket, ts);
    img.address(ts, head);
    img.words[ts + 1] = 4 | (1 << 6 << 8);
    img.words[ts + 2] = hash;
    img.words[ts + 3] = s.length;
    const chars = img.alloc(s.length + 1);
    img.bytesAt(chars, Array.from(s, (c) => c.charCodeAt(0)));
    where.set(s, ts);
  }
  return where;
}

function protoToFlash(
  img: FlashImage,
  f: Lua51Proto,
  strings: Map<string, number>,
  numberType: Lua51NumberType,
): number {
  const children = f.protos.map((p) => protoToFlash(img, p, strings, numberType));
  const vector = (n: number, size: number) => (n === 0 ? undefined : img.alloc(n * size));
  const p = vector(children.length, 4);
  children.forEach((c, i) => img.address(p! + i, c));
  const kSize = numberType === "integer" ? 8 : 12;
  const k = vector(f.constants.length, kSize);
  f.constants.forEach((c, i) => {
    const at = k! + (i * kSize) / 4;
    const typeSlot = at + kSize / 4 - 1;
    if (c.type === "string") img.address(at, strings.get(c.value));
    else if (c.type === "boolean") img.words[at] = c.value ? 1 : 0;
    else if (c.type === "number") {
      const v = new DataView(new ArrayBuffer(8));
      if (numberType === "integer") v.setInt32(0, c.value, true);
      else v.setFloat64(0, c.value, true);
      img.words[at] = v.getUint32(0, true);
      if (numberType !== "integer") img.words[at + 1] = v.getUint32(4, true);
    }
    img.words[typeSlot] = { nil: 0, boolean: 1, number: 3, string: 4 }[c.type];
  });
  const code = vector(f.code.length, 4);
  f.code.forEach((ins, i) => (img.words[code! + i] = ins >>> 0));
  const locVars = vector(f.locVars.length, 12);
  f.locVars.forEach((v, i) => {
    img.address(locVars! + 3 * i, strings.get(v.name));
    img.words[locVars! + 3 * i + 1] = v.startPc;
    img.words[locVars! + 3 * i + 2] = v.endPc;
  });
  const upvalues = vector(f.upvalueNames.length, 4);
  f.upvalueNames.forEach((n, i) => img.address(upvalues! + i, strings.get(n)));
  const rec = img.alloc(18 * 4);
  img.address(rec + 2, k);
  img.address(rec + 3, code);
  img.address(rec + 4, p);
  if (f.lineInfo.length > 0) img.address(rec + 5, strings.get(packLineInfo(f.lineInfo))! + 4);
  img.address(rec + 6, locVars);
  img.address(rec + 7, upvalues);
  img.address(rec + 8, f.source === undefined ? undefined : strings.get(f.source));
  img.words[rec + 9] = f.upvalueNames.length;
  img.words[rec + 10] = f.constants.length;
  img.words[rec + 11] = f.code.length;
  img.words[rec + 12] = f.protos.length;
  img.words[rec + 13] = f.locVars.length;
  img.words[rec + 14] = f.lineDefined >>> 0;
  img.words[rec + 15] = f.lastLineDefined >>> 0;
  img.words[rec + 17] = (f.nups | (f.numParams << 8) | (f.isVararg << 16) |
    (f.maxStackSize << 24)) >>> 0;
  return rec;
}

/**
 * The uncompressed image and its relocation bitmap, as lflashimg.c gzips them.
 *
 * @param main the lookup function with the modules nested in it
 * @param numberType the firmware's number type
 * @returns image + bitmap
 *
 * @example
 * ```ts
 * import { layOutLfs51 } from "./lfs_image_builder.ts";
 * const main = { source: "=(luac)", lineDefined: 0, lastLineDefined: 0, nups: 0, numParams: 1, isVararg: 0, maxStackSize: 3, code: [0x0080001e], constants: [], protos: [], lineInfo: [], locVars: [], upvalueNames: [] };
 * if (new DataView(layOutLfs51(main, "float").buffer).getUint32(0, true) !== 0xfafaa154) throw new Error();
 * ```
 */
export function layOutLfs51(main: Lua51Proto, numberType: Lua51NumberType): Uint8Array {
  const img = new FlashImage();
  img.alloc(32);
  const strings = new Set<string>();
  collectStrings(main, strings);
  const where = stringTable(img, strings);
  img.address(2, protoToFlash(img, main, where, numberType));
  img.words[0] = lfs51Signature(numberType);
  img.words[1] = img.words.length * 4;
  const bitmap = new Uint32Array(Math.ceil(img.words.length / 32));
  for (const w of img.tags) bitmap[w >>> 5] = (bitmap[w >>> 5]! | (1 << (w & 31))) >>> 0;
  const out = new Uint8Array(img.words.length * 4 + bitmap.length * 4);
  const view = new DataView(out.buffer);
  img.words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  bitmap.forEach((w, i) => view.setUint32(img.words.length * 4 + i * 4, w, true));
  return out;
}

/**
 * Wraps data in gzip as uzlib writes it (no name, no time, XFL 4, OS 3), in a stream the
 * firmware's inflater accepts.
 *
 * @param data what to compress
 * @returns the gzip file
 *
 * @example
 * ```ts
 * import { gzipForLfs } from "./lfs_image_builder.ts";
 * import { inflateGzip } from "../../lib/sim/lfs_inflate.ts";
 * const data = new Uint8Array(5000).fill(7);
 * if (inflateGzip(gzipForLfs(data)).output.length !== 5000) throw new Error();
 * ```
 */
export function gzipForLfs(data: Uint8Array): Uint8Array {
  const wrap = (body: Uint8Array) => {
    const out = new Uint8Array(10 + body.length + 8);
    out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3]);
    out.set(body, 10);
    const view = new DataView(out.buffer);
    view.setUint32(10 + body.length, crc32(data), true);
    view.setUint32(14 + body.length, data.length, true);
    return out;
  };
  const packed = wrap(new Uint8Array(zlib.deflateRawSync(data, { windowBits: 14, level: 9 })));
  if (inflateGzip(packed).failure === undefined) return packed;
  const stored: number[] = [];
  for (let at = 0; at < data.length || at === 0; at += 0xffff) {
    const piece = data.subarray(at, at + 0xffff);
    const last = at + 0xffff >= data.length ? 1 : 0;
    stored.push(last, piece.length & 0xff, piece.length >> 8, ~piece.length & 0xff);
    stored.push((~piece.length >> 8) & 0xff, ...piece);
  }
  return wrap(Uint8Array.from(stored));
}

/**
 * Builds a Lua 5.1 LFS image from sources, as `luac.cross -f -o lfs.img a.lua b.lua` does.
 *
 * @param sources the Lua files, in command-line order
 * @param options the compiler, the number type and the build time
 * @returns the image file
 *
 * @example
 * ```ts
 * import { buildLfs51Image } from "./lfs_image_builder.ts";
 * import { compileLua51 } from "./lua51_compile.ts";
 * const image = buildLfs51Image([{ name: "m.lua", source: "return 1" }], { compile: compileLua51 });
 * if (image[0] !== 0x1f || image[1] !== 0x8b) throw new Error();
 * ```
 */
export function buildLfs51Image(
  sources: readonly LfsSource[],
  options: BuildLfs51Options,
): Uint8Array {
  const modules = sources.map((s) => {
    const chunk = options.compile(s.source, `@${s.name}`);
    return stripNames(readLua51Chunk(chunk), undefined);
  });
  const main = lookupFunction(modules, options.time ?? 1700000000);
  return gzipForLfs(layOutLfs51(main, options.numberType ?? "float"));
}
