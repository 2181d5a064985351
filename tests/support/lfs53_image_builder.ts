/**
 * Builds Lua 5.3 LFS images for tests in NodeMCU's LFS dump format (`luac.cross -f` of the
 * Lua 5.3 build; `app/lua53/ldump.c`, read back by `lundump.c`), for the default ESP8266 build
 * (4-byte int, Instruction, lua_Integer and lua_Number). Each module is a main function that
 * returns nothing (`RETURN 0 1`, one `_ENV` upvalue, no constants, no debug information): the
 * simulator does not run 5.3 LFS functions, and real sources would need NodeMCU's 5.3 code
 * generator. The string vector, module table and build time are as luac.cross writes them.
 *
 * @module
 */

const TSSTRING = 0x50;
const TLSTRING = 0x60;
const TNUMPINT = 0x30;
/** Strings the firmware adds to every LFS (luaX tokens, metamethod names...), all short. */
const FIXED_STRINGS = 71;

/** NodeMCU's `DumpInt`: 7 bits a byte, most significant first, high bit on all but the last. */
function int(v: number): number[] {
  const out = [v & 0x7f];
  for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) out.unshift(0x80 | (v & 0x7f));
  return out;
}

/** A typed integer: 4 bits in the type byte, then 7 bits a byte. */
function typed(type: number, v: number): number[] {
  if (v < 16) return [type | v];
  const groups: number[] = [];
  while (v >= 16) {
    groups.unshift(v & 0x7f);
    v = Math.floor(v / 128);
  }
  return [type | 0x80 | v, ...groups.map((g, i) => (i < groups.length - 1 ? 0x80 | g : g))];
}

const bytes = (s: string) => Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/**
 * Builds a Lua 5.3 LFS image holding empty modules.
 *
 * @param modules module names (file names without `.lua`)
 * @param options the build time (Unix seconds) and the string seed
 * @returns the image file
 *
 * @example
 * ```ts
 * import { buildLfs53Image } from "./lfs53_image_builder.ts";
 * import { readLfs53Image } from "../../lib/sim/lfs_image53.ts";
 * if (readLfs53Image(buildLfs53Image(["a"]), { numberSize: 4 }).modules[0] !== "a") throw new Error();
 * ```
 */
export function buildLfs53Image(
  modules: readonly string[],
  options: { time?: number; seed?: number } = {},
): Uint8Array {
  const strings = [...modules.map((m) => `@${m}.lua`), ...modules];
  const ref = (s: string) => strings.indexOf(s) + 1;
  const out: number[] = [0x1b, ...bytes("Lua"), 0x53, 11, ...bytes("\x19\x93\r\n\x1a\n")];
  const f32 = new DataView(new ArrayBuffer(4));
  f32.setFloat32(0, 370.5, true);
  out.push(4, 4, 4, 4, 0x20, ...new Uint8Array(f32.buffer));
  out.push(...typed(TNUMPINT, options.seed ?? 0x1234));
  out.push(...bytes("\x19ss"));
  const long = strings.filter((s) => s.length > 40).length;
  const longest = Math.max(...strings.map((s) => s.length));
  out.push(...int(longest), ...int(strings.length - long + FIXED_STRINGS), ...int(long));
  out.push(...int(strings.length));
  for (const s of strings) {
    out.push(...typed(s.length > 40 ? TLSTRING : TSSTRING, s.length + 1), ...bytes(s));
  }
  out.push(...bytes("\x19pr"), ...int(modules.length));
  for (const m of modules) {
    out.push(...typed(TSSTRING, ref(`@${m}.lua`)), ...int(0), ...int(0), 0, 1, 2);
    out.push(...int(0)); // nested functions
    const ret = (38 | (1 << 23)) >>> 0; // RETURN 0 1
    out.push(...int(1), ret & 0xff, (ret >>> 8) & 0xff, (ret >>> 16) & 0xff, ret >>> 24);
    out.push(...int(0)); // constants
    out.push(0, ...int(1), 1, 0); // upvalues: names stripped, _ENV in stack slot 0
    out.push(...int(0), ...int(0)); // line info, locals
  }
  out.push(...int(modules.length + 1));
  for (const m of modules) out.push(...typed(TSSTRING, ref(m)));
  out.push(...typed(TNUMPINT, options.time ?? 1700000000));
  return Uint8Array.from(out);
}
