/**
 * Lua 5.3 LFS images (`luac.cross -f` of NodeMCU's Lua 5.3, `app/lua53/lundump.c`): NodeMCU's
 * dump format, not compressed. Read here as the firmware's loader reads it, with its error
 * messages, to list the modules and the build time:
 *
 * - header: ESC `Lua`, version 0x53, format 11 (an LFS image; 10 is a plain NodeMCU chunk), the
 *   bytes `19 93 0D 0A 1A 0A`, the sizes of int, Instruction, lua_Integer and lua_Number
 *   (4, 4, 4, 4 in the default ESP8266 build; 8-byte numbers in 64-bit builds), a type byte and
 *   370.5 as a lua_Number;
 * - the string seed; `19 73 73` and the string vector (longest length, short and long counts,
 *   then each string as a type byte with its length); `19 70 72` and the functions, each in the
 *   NodeMCU dump layout with strings as indexes into the vector; then one name per function (the
 *   module names) and the build time.
 *
 * Integers are NodeMCU's variable-length form: 7 bits a byte, high bit set on all but the last;
 * typed integers keep their first 4 bits in the type byte.
 *
 * @module
 */

/** The header fields the firmware checks, for its build. */
export interface Lua53Build {
  /** sizeof(lua_Integer) and sizeof(lua_Number): 4 in the default build, 8 in 64-bit builds. */
  numberSize: 4 | 8;
}

/** What an image holds. */
export interface Lfs53Image {
  /** The string hash seed. */
  seed: number;
  /** Unix time of the build. */
  timestamp: number;
  /** Module names, in image order. */
  modules: string[];
  /** The strings of the image. */
  stringCount: number;
  /** Short strings (those in the read-only string table). */
  shortStrings: number;
}

const TMASK = 0x70;
const TNIL = 0x00;
const TBOOLEAN = 0x10;
const TNUMFLT = 0x20;
const TNUMPINT = 0x30;
const TNUMNINT = 0x40;
const TSSTRING = 0x50;
const TLSTRING = 0x60;

class Loader {
  at = 0;
  constructor(readonly bytes: Uint8Array, readonly build: Lua53Build) {}
  fail(why: string): never {
    throw new Error(`(null): ${why} precompiled chunk`);
  }
  byte(): number {
    if (this.at >= this.bytes.length) this.fail("truncated");
    return this.bytes[this.at++]!;
  }
  block(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) this.fail("truncated");
    const b = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
  int(): number {
    let x = 0;
    let b: number;
    do {
      b = this.byte();
      x = x * 128 + (b & 0x7f);
    } while (b & 0x80);
    return x;
  }
  integer(tt: number): number {
    let x = tt & 0x0f;
    if (tt & 0x80) {
      let b: number;
      do {
        b = this.byte();
        x = x * 128 + (b & 0x7f);
      } while (b & 0x80);
    }
    return (tt & TMASK) === TNUMNINT ? -x - 1 : x;
  }
  number(): number {
    const b = this.block(this.build.numberSize);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return this.build.numberSize === 4 ? v.getFloat32(0, true) : v.getFloat64(0, true);
  }
  literal(text: string, why: string): void {
    const b = this.block(text.length);
    if ([...b].some((c, i) => c !== text.charCodeAt(i))) this.fail(why);
  }
  size(expected: number, name: string): void {
    if (this.byte() !== expected) this.fail(`${name} size mismatch in`);
  }
  /** A string reference: an index into the string vector, or none. */
  ref(tt = this.byte()): number | undefined {
    const n = this.integer(tt) - 1;
    return n < 0 ? undefined : n;
  }
}

function header(l: Loader): void {
  if (l.byte() !== 0x1b) l.fail("invalid header in");
  l.literal("Lua", "not a");
  if (l.byte() !== 0x53) l.fail("version mismatch in");
  if (l.byte() !== 11) l.fail("format mismatch in");
  l.literal("\x19\x93\r\n\x1a\n", "corrupted");
  l.size(4, "int");
  l.size(4, "Instruction");
  l.size(l.build.numberSize, "lua_Integer");
  l.size(l.build.numberSize, "lua_Number");
  l.byte();
  if (l.number() !== 370.5) l.fail("float format mismatch in");
}

function skipFunction(l: Loader, depth: number): void {
  if (depth > 200) l.fail("code too deep in");
  l.ref();
  l.int();
  l.int();
  l.block(3);
  const protos = l.int();
  for (let i = 0; i < protos; i++) skipFunction(l, depth + 1);
  l.block(4 * l.int());
  const constants = l.int();
  for (let i = 0; i < constants; i++) {
    const tt = l.byte();
    const type = tt & TMASK;
    if (type === TNUMFLT) l.number();
    else if (type === TNUMPINT || type === TNUMNINT) l.integer(tt);
    else if (type === TSSTRING || type === TLSTRING) l.ref(tt);
    else if (type !== TNIL && type !== TBOOLEAN) l.fail("bad constant in");
  }
  const names = l.byte();
  const upvalues = l.int();
  for (let i = 0; i < upvalues; i++) {
    if (names) l.ref();
    l.block(2);
  }
  l.block(l.int());
  const locals = l.int();
  for (let i = 0; i < locals; i++) {
    l.ref();
    l.int();
    l.int();
  }
}

/**
 * Reads a Lua 5.3 LFS image as `luaU_undumpLFS` does, or throws the firmware's message
 * (`(null): truncated precompiled chunk`: the loader has no chunk name).
 *
 * @param file the image file
 * @param build the firmware's number size
 * @returns the modules, build time and string counts
 *
 * @example
 * ```ts
 * import { readLfs53Image } from "./lfs_image53.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => readLfs53Image(new Uint8Array([0x1f, 0x8b]), { numberSize: 4 }), /\(null\): invalid header in precompiled chunk/);
 * ```
 */
export function readLfs53Image(file: Uint8Array, build: Lua53Build): Lfs53Image {
  const l = new Loader(file, build);
  header(l);
  const seed = l.integer(l.byte());
  l.literal("\x19ss", "no string vector");
  l.int();
  const shortStrings = l.int();
  l.int();
  const count = l.int();
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const tt = l.byte();
    if ((tt & TMASK) !== TSSTRING && (tt & TMASK) !== TLSTRING) l.fail("bad string in");
    strings.push(String.fromCharCode(...l.block(l.integer(tt) - 1)));
  }
  l.literal("\x19pr", "no Proto vector");
  const n = l.int();
  for (let i = 0; i < n; i++) skipFunction(l, 0);
  const nk = l.int();
  if (nk !== n + 1) l.fail("bad module index in");
  const modules: string[] = [];
  for (let i = 0; i < n; i++) {
    const tt = l.byte();
    const name = strings[l.ref(tt) ?? -1];
    if ((tt & TMASK) !== TSSTRING || name === undefined) return l.fail("bad module name in");
    modules.push(name);
  }
  const timestamp = l.integer(l.byte());
  return { seed, timestamp, modules, stringCount: count, shortStrings };
}
