/**
 * Standard Lua 5.1 binary chunks (`lundump.c`/`ldump.c` of Lua 5.1.5): a 12-byte header (ESC
 * `Lua`, version 0x51, format 0, endianness, the sizes of int, size_t, Instruction and
 * lua_Number, and whether numbers are integral), then the main function: source, line defined,
 * last line defined, upvalue count, parameter count, vararg flags, stack size, code,
 * constants (nil, boolean, number, string), nested functions, line numbers, local variables
 * and upvalue names.
 *
 * The simulated NodeMCU turns the functions of a Lua 5.1 LFS image into such a chunk for its
 * Lua VM (`lfs_image51.ts`), and the test-image builder reads the chunks `string.dump` makes.
 * Strings are kept as one character per byte.
 *
 * @module
 */

/** A constant of a function. */
export type Lua51Constant =
  | { type: "nil" }
  | { type: "boolean"; value: boolean }
  | { type: "number"; value: number }
  | { type: "string"; value: string };

/** A local variable's debug record. */
export interface Lua51LocVar {
  /** Its name. */
  name: string;
  /** First instruction where it is active. */
  startPc: number;
  /** First instruction where it is dead. */
  endPc: number;
}

/** A function prototype. */
export interface Lua51Proto {
  /** Chunk name (`@file.lua`, `=stdin`), if recorded. */
  source: string | undefined;
  /** Line where the function starts (0 for a main chunk). */
  lineDefined: number;
  /** Line where it ends. */
  lastLineDefined: number;
  /** Number of upvalues. */
  nups: number;
  /** Number of fixed parameters. */
  numParams: number;
  /** Vararg flags (1 has arg, 2 is vararg, 4 needs arg). */
  isVararg: number;
  /** Registers needed. */
  maxStackSize: number;
  /** The instructions. */
  code: number[];
  /** The constants. */
  constants: Lua51Constant[];
  /** Nested functions. */
  protos: Lua51Proto[];
  /** Source line of each instruction (empty when stripped). */
  lineInfo: number[];
  /** Local variables (empty when stripped). */
  locVars: Lua51LocVar[];
  /** Upvalue names (empty when stripped). */
  upvalueNames: string[];
}

/** The sizes a chunk is written for. */
export interface Lua51ChunkFormat {
  /** sizeof(int): 4. */
  intSize: number;
  /** sizeof(size_t): 4 on the ESP8266 and wasm32, 8 on 64-bit hosts. */
  sizeTSize: number;
  /** sizeof(lua_Number): 8 for double, 4 for a 32-bit integer build. */
  numberSize: number;
  /** Whether lua_Number is an integer type. */
  integral: boolean;
}

/** The ESP8266's (and wasm32's) Lua 5.1 float build. */
export const LUA51_FLOAT_FORMAT: Lua51ChunkFormat = {
  intSize: 4,
  sizeTSize: 4,
  numberSize: 8,
  integral: false,
};

const TNIL = 0;
const TBOOLEAN = 1;
const TNUMBER = 3;
const TSTRING = 4;

class Reader {
  at = 0;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly format: Lua51ChunkFormat) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number): void {
    if (this.at + n > this.bytes.length) throw new Error("truncated precompiled chunk");
  }
  byte(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }
  int(): number {
    this.need(4);
    const v = this.view.getInt32(this.at, true);
    this.at += this.format.intSize;
    return v;
  }
  sizeT(): number {
    this.need(this.format.sizeTSize);
    const v = this.view.getUint32(this.at, true);
    this.at += this.format.sizeTSize;
    return v;
  }
  number(): number {
    this.need(this.format.numberSize);
    const f = this.format;
    const v = f.integral
      ? (f.numberSize === 8 ? Number(this.view.getBigInt64(this.at, true)) : this.view.getInt32(
        this.at,
        true,
      ))
      : (f.numberSize === 8 ? this.view.getFloat64(this.at, true) : this.view.getFloat32(
        this.at,
        true,
      ));
    this.at += f.numberSize;
    return v;
  }
  string(): string | undefined {
    const n = this.sizeT();
    if (n === 0) return undefined;
    this.need(n);
    const s = String.fromCharCode(...this.bytes.subarray(this.at, this.at + n - 1));
    this.at += n;
    return s;
  }
}

function readFunction(r: Reader): Lua51Proto {
  const source = r.string();
  const lineDefined = r.int();
  const lastLineDefined = r.int();
  const [nups, numParams, isVararg, maxStackSize] = [r.byte(), r.byte(), r.byte(), r.byte()];
  const code = Array.from({ length: r.int() }, () => {
    r.need(4);
    const v = r.view.getUint32(r.at, true);
    r.at += 4;
    return v;
  });
  const constants = Array.from({ length: r.int() }, (): Lua51Constant => {
    const t = r.byte();
    if (t === TNIL) return { type: "nil" };
    if (t === TBOOLEAN) return { type: "boolean", value: r.byte() !== 0 };
    if (t === TNUMBER) return { type: "number", value: r.number() };
    if (t === TSTRING) return { type: "string", value: r.string() ?? "" };
    throw new Error("bad constant in precompiled chunk");
  });
  const protos = Array.from({ length: r.int() }, () => readFunction(r));
  const lineInfo = Array.from({ length: r.int() }, () => r.int());
  const locVars = Array.from({ length: r.int() }, () => ({
    name: r.string() ?? "",
    startPc: r.int(),
    endPc: r.int(),
  }));
  const upvalueNames = Array.from({ length: r.int() }, () => r.string() ?? "");
  return {
    source,
    lineDefined,
    lastLineDefined,
    nups,
    numParams,
    isVararg,
    maxStackSize,
    code,
    constants,
    protos,
    lineInfo,
    locVars,
    upvalueNames,
  };
}

/**
 * Reads the format a chunk's header declares.
 *
 * @param chunk a Lua 5.1 binary chunk (at least its 12-byte header)
 * @returns the sizes it was written with
 *
 * @example
 * ```ts
 * import { lua51ChunkFormat, writeLua51Chunk, LUA51_FLOAT_FORMAT } from "./lfs_lua51_chunk.ts";
 * import assert from "node:assert/strict";
 * const proto = { source: "=x", lineDefined: 0, lastLineDefined: 0, nups: 0, numParams: 0, isVararg: 2, maxStackSize: 2, code: [0x0080001e], constants: [], protos: [], lineInfo: [], locVars: [], upvalueNames: [] };
 * assert.deepEqual(lua51ChunkFormat(writeLua51Chunk(proto, LUA51_FLOAT_FORMAT)), LUA51_FLOAT_FORMAT);
 * ```
 */
export function lua51ChunkFormat(chunk: Uint8Array): Lua51ChunkFormat {
  const sig = [0x1b, 0x4c, 0x75, 0x61, 0x51, 0x00, 0x01];
  if (chunk.length < 12 || sig.some((b, i) => chunk[i] !== b) || chunk[9] !== 4) {
    throw new Error("not a little-endian Lua 5.1 binary chunk");
  }
  return {
    intSize: chunk[7]!,
    sizeTSize: chunk[8]!,
    numberSize: chunk[10]!,
    integral: chunk[11] !== 0,
  };
}

/**
 * Reads a Lua 5.1 binary chunk (as `string.dump` or `luac` writes it).
 *
 * @param chunk the chunk
 * @returns its main function
 *
 * @example
 * ```ts
 * import { readLua51Chunk, writeLua51Chunk, LUA51_FLOAT_FORMAT } from "./lfs_lua51_chunk.ts";
 * import assert from "node:assert/strict";
 * const proto = { source: "@m.lua", lineDefined: 0, lastLineDefined: 0, nups: 0, numParams: 0, isVararg: 2, maxStackSize: 2, code: [0x00000001, 0x0080001e], constants: [{ type: "string" as const, value: "hi" }], protos: [], lineInfo: [1, 1], locVars: [], upvalueNames: [] };
 * assert.deepEqual(readLua51Chunk(writeLua51Chunk(proto, LUA51_FLOAT_FORMAT)), proto);
 * ```
 */
export function readLua51Chunk(chunk: Uint8Array): Lua51Proto {
  const format = lua51ChunkFormat(chunk);
  const r = new Reader(chunk, format);
  r.at = 12;
  return readFunction(r);
}

class Writer {
  parts: number[] = [];
  constructor(readonly format: Lua51ChunkFormat) {}
  bytes(b: ArrayLike<number>): void {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
  }
  word(v: number, size: number): void {
    for (let i = 0; i < size; i++) this.parts.push(i < 4 ? (v >>> (8 * i)) & 0xff : 0);
  }
  int(v: number): void {
    this.word(v, this.format.intSize);
  }
  number(v: number): void {
    const f = this.format;
    const buf = new DataView(new ArrayBuffer(8));
    if (f.integral && f.numberSize === 4) buf.setInt32(0, Math.trunc(v), true);
    else if (f.integral) buf.setBigInt64(0, BigInt(Math.trunc(v)), true);
    else if (f.numberSize === 4) buf.setFloat32(0, v, true);
    else buf.setFloat64(0, v, true);
    this.bytes(new Uint8Array(buf.buffer, 0, f.numberSize));
  }
  string(s: string | undefined): void {
    if (s === undefined) return this.word(0, this.format.sizeTSize);
    this.word(s.length + 1, this.format.sizeTSize);
    for (let i = 0; i < s.length; i++) this.parts.push(s.charCodeAt(i) & 0xff);
    this.parts.push(0);
  }
}

function writeFunction(w: Writer, f: Lua51Proto): void {
  w.string(f.source);
  w.int(f.lineDefined);
  w.int(f.lastLineDefined);
  w.bytes([f.nups, f.numParams, f.isVararg, f.maxStackSize]);
  w.int(f.code.length);
  for (const i of f.code) w.word(i, 4);
  w.int(f.constants.length);
  for (const k of f.constants) {
    if (k.type === "nil") w.bytes([TNIL]);
    else if (k.type === "boolean") w.bytes([TBOOLEAN, k.value ? 1 : 0]);
    else if (k.type === "number") {
      w.bytes([TNUMBER]);
      w.number(k.value);
    } else {
      w.bytes([TSTRING]);
      w.string(k.value);
    }
  }
  w.int(f.protos.length);
  for (const p of f.protos) writeFunction(w, p);
  w.int(f.lineInfo.length);
  for (const l of f.lineInfo) w.int(l);
  w.int(f.locVars.length);
  for (const v of f.locVars) {
    w.string(v.name);
    w.int(v.startPc);
    w.int(v.endPc);
  }
  w.int(f.upvalueNames.length);
  for (const n of f.upvalueNames) w.string(n);
}

/**
 * Writes a function as a Lua 5.1 binary chunk that `loadstring`/`lua_load` accept.
 *
 * @param main the main function
 * @param format the sizes of the VM that will load it
 * @returns the chunk
 *
 * @example
 * ```ts
 * import { writeLua51Chunk, LUA51_FLOAT_FORMAT } from "./lfs_lua51_chunk.ts";
 * import assert from "node:assert/strict";
 * const proto = { source: "=x", lineDefined: 0, lastLineDefined: 0, nups: 0, numParams: 0, isVararg: 2, maxStackSize: 2, code: [0x0080001e], constants: [], protos: [], lineInfo: [], locVars: [], upvalueNames: [] };
 * assert.deepEqual([...writeLua51Chunk(proto, LUA51_FLOAT_FORMAT).subarray(0, 12)], [0x1b, 0x4c, 0x75, 0x61, 0x51, 0, 1, 4, 4, 4, 8, 0]);
 * ```
 */
export function writeLua51Chunk(main: Lua51Proto, format: Lua51ChunkFormat): Uint8Array {
  const w = new Writer(format);
  w.bytes([0x1b, 0x4c, 0x75, 0x61, 0x51, 0x00, 0x01, format.intSize, format.sizeTSize, 4]);
  w.bytes([format.numberSize, format.integral ? 1 : 0]);
  writeFunction(w, main);
  return Uint8Array.from(w.parts);
}
