/**
 * The function prototypes inside a Lua 5.1 LFS image, as NodeMCU lays them out in flash
 * (`app/lua/luac_cross/lflashimg.c`, `lobject.h`), read back into {@link Lua51Proto}s the
 * simulated firmware hands to its Lua VM as a standard chunk (`lfs_lua51_chunk.ts`).
 *
 * All records are 32-bit words; addresses are absolute (mapped) once the image is in flash.
 *
 * - Proto, 18 words: next, tt/marked (zero), k, code, p, packedlineinfo, locvars, upvalues,
 *   source, sizeupvalues, sizek, sizecode, sizep, sizelocvars, linedefined, lastlinedefined,
 *   gclist, then the bytes nups, numparams, is_vararg, maxstacksize.
 * - TString, 4 words: next, tt (4) and marked (0x40, the LFS bit), hash, length; the characters
 *   and a NUL follow, padded to a word.
 * - TValue: the value then the type as a word; 12 bytes in float builds (a double), 8 in
 *   integer builds (an int32). Strings hold a TString address, booleans a word.
 * - LocVar, 3 words: name, startpc, endpc. Upvalue names and nested functions: address vectors.
 * - Line numbers are NodeMCU's packed form ({@link unpackLineInfo}), stored as a TString's
 *   characters; `packedlineinfo` points at the characters.
 *
 * @module
 */

import type { Lua51Constant, Lua51Proto } from "./lfs_lua51_chunk.ts";
import type { Lua51NumberType } from "./lfs_image51.ts";

const DELTA = 0x80;
const SIGN = 0x40;
const FILL = 0x7f;
/** Most instructions one packed line entry counts. */
export const MAX_LINE_COUNT = 126;

/**
 * Decodes NodeMCU's packed line information (ldebug.c `luaG_getline`): a run of entries, each
 * an optional line delta (first byte `1s` + 6 bits, then `1` + 7 bits per byte, low bits first;
 * absent means the next line) and a count of instructions on that line (1..126), ended by NUL
 * or 0x7F.
 *
 * @param packed the bytes (one character per byte), without the ending NUL
 * @returns the line of each instruction
 *
 * @example
 * ```ts
 * import { packLineInfo, unpackLineInfo } from "./lfs_proto51.ts";
 * import assert from "node:assert/strict";
 * const lines = [1, 1, 2, 7, 7, 3, 300];
 * assert.deepEqual(unpackLineInfo(packLineInfo(lines)), lines);
 * ```
 */
export function unpackLineInfo(packed: string): number[] {
  const lines: number[] = [];
  let line = 0;
  let i = 0;
  const at = (k: number) => packed.charCodeAt(k) || 0;
  while (i < packed.length && at(i) !== 0 && at(i) !== FILL) {
    if (at(i) & DELTA) {
      let delta = at(i) & 0x3f;
      const negative = (at(i++) & SIGN) !== 0;
      for (let shift = 6; at(i) & DELTA; i++, shift += 7) delta += (at(i) & 0x7f) << shift;
      line += negative ? -delta : delta + 2;
    } else line++;
    const count = at(i++);
    for (let n = 0; n < count; n++) lines.push(line);
  }
  return lines;
}

/**
 * Encodes per-instruction lines in NodeMCU's packed form, as its code generator does for a
 * straight run of instructions (lcode.c `generateInfoDeltaLine`).
 *
 * @param lines the line of each instruction
 * @returns the packed bytes (one character per byte), without the ending NUL
 *
 * @example
 * ```ts
 * import { packLineInfo } from "./lfs_proto51.ts";
 * if (packLineInfo([1, 1, 3]) !== "\u0002\u0080\u0001") throw new Error();
 * ```
 */
export function packLineInfo(lines: readonly number[]): string {
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    let count = 0;
    while (i < lines.length && lines[i] === line && count < MAX_LINE_COUNT) {
      count++;
      i++;
    }
    let delta = line - last - 1;
    if (delta !== 0) {
      if (delta < 0) {
        delta = -delta - 1;
        out.push(DELTA | SIGN | (delta & 0x3f));
      } else {
        delta = delta - 1;
        out.push(DELTA | (delta & 0x3f));
      }
      for (delta >>>= 6; delta !== 0; delta >>>= 7) out.push(DELTA | (delta & 0x7f));
    }
    out.push(count);
    last = line;
  }
  return String.fromCharCode(...out);
}

/** Where an LFS image sits and how its numbers are stored. */
export interface Lfs51Layout {
  /** Address of the image's first byte (the mapped address in flash). */
  base: number;
  /** The firmware's number type. */
  numberType: Lua51NumberType;
}

class FlashView {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly layout: Lfs51Layout) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  offset(address: number): number {
    const at = (address - this.layout.base) >>> 0;
    if (at >= this.bytes.length || (at & 3) !== 0) {
      throw new Error(`address 0x${address.toString(16)} outside the LFS image`);
    }
    return at;
  }
  word(at: number): number {
    if (at + 4 > this.bytes.length) throw new Error("read past the LFS image");
    return this.view.getUint32(at, true);
  }
  string(address: number): string {
    const at = this.offset(address);
    const length = this.word(at + 12);
    if (at + 16 + length > this.bytes.length) throw new Error("string past the LFS image");
    return String.fromCharCode(...this.bytes.subarray(at + 16, at + 16 + length));
  }
  cString(address: number): string {
    let end = this.offset(address);
    while (end < this.bytes.length && this.bytes[end] !== 0) end++;
    return String.fromCharCode(...this.bytes.subarray(this.offset(address), end));
  }
  vector<T>(address: number, count: number, size: number, read: (at: number) => T): T[] {
    if (count === 0) return [];
    const at = this.offset(address);
    return Array.from({ length: count }, (_, i) => read(at + i * size));
  }
}

function constantAt(f: FlashView, at: number): Lua51Constant {
  const integer = f.layout.numberType === "integer";
  const type = f.word(at + (integer ? 4 : 8));
  switch (type) {
    case 0:
      return { type: "nil" };
    case 1:
      return { type: "boolean", value: f.word(at) !== 0 };
    case 3:
      return {
        type: "number",
        value: integer ? f.view.getInt32(at, true) : f.view.getFloat64(at, true),
      };
    case 4:
      return { type: "string", value: f.string(f.word(at)) };
    default:
      throw new Error(`constant of type ${type} in the LFS image`);
  }
}

function protoAt(f: FlashView, address: number, depth: number): Lua51Proto {
  if (depth > 200) throw new Error("functions nested too deep in the LFS image");
  const at = f.offset(address);
  const w = (i: number) => f.word(at + 4 * i);
  const [sizeUpvalues, sizeK, sizeCode, sizeP, sizeLocVars] = [w(9), w(10), w(11), w(12), w(13)];
  const kSize = f.layout.numberType === "integer" ? 8 : 12;
  const lineAddress = w(5);
  const code = f.vector(w(3), sizeCode, 4, (a) => f.word(a));
  const lineInfo = lineAddress === 0 ? [] : unpackLineInfo(f.cString(lineAddress));
  return {
    source: w(8) === 0 ? undefined : f.string(w(8)),
    lineDefined: w(14) | 0,
    lastLineDefined: w(15) | 0,
    nups: f.bytes[at + 68]!,
    numParams: f.bytes[at + 69]!,
    isVararg: f.bytes[at + 70]!,
    maxStackSize: f.bytes[at + 71]!,
    code,
    constants: f.vector(w(2), sizeK, kSize, (a) => constantAt(f, a)),
    protos: f.vector(w(4), sizeP, 4, (a) => protoAt(f, f.word(a), depth + 1)),
    lineInfo: lineInfo.length === code.length ? lineInfo : [],
    locVars: f.vector(w(6), sizeLocVars, 12, (a) => ({
      name: f.string(f.word(a)),
      startPc: f.word(a + 4) | 0,
      endPc: f.word(a + 8) | 0,
    })),
    upvalueNames: f.vector(w(7), sizeUpvalues, 4, (a) => f.string(f.word(a))),
  };
}

/**
 * Reads the function tree of an LFS image in flash: the main function (luac.cross's lookup
 * function) with the modules' main functions as its nested functions.
 *
 * @param image the image's bytes (at least `flashSize` of them)
 * @param layout its address and the number type
 * @returns the main function
 *
 * @example
 * ```ts
 * import { readLfs51Protos } from "./lfs_proto51.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => readLfs51Protos(new Uint8Array(32), { base: 0x40280000, numberType: "float" }));
 * ```
 */
export function readLfs51Protos(image: Uint8Array, layout: Lfs51Layout): Lua51Proto {
  const f = new FlashView(image, layout);
  return protoAt(f, f.word(8), 0);
}

/**
 * The module names and build time luac.cross put in the lookup function: its string constants
 * (one per module, in command-line order) and its last constant, the Unix time of the build.
 *
 * @param main the image's main function
 * @returns the names and the time
 *
 * @example
 * ```ts
 * import { lfs51Index } from "./lfs_proto51.ts";
 * import assert from "node:assert/strict";
 * const main = { constants: [{ type: "string" as const, value: "a" }, { type: "number" as const, value: 1700000000 }] };
 * assert.deepEqual(lfs51Index(main), { modules: ["a"], time: 1700000000 });
 * ```
 */
export function lfs51Index(
  main: Pick<Lua51Proto, "constants">,
): { modules: string[]; time: number | undefined } {
  const modules = main.constants.flatMap((k) => (k.type === "string" ? [k.value] : []));
  const last = main.constants[main.constants.length - 1];
  return { modules, time: last?.type === "number" ? last.value : undefined };
}
