/**
 * A real Lua 5.1.5 compiler for tests (npm `lua-wasm-bindings`, Lua compiled to WebAssembly,
 * so its chunks have a 4-byte size_t like the ESP8266's): `string.dump` of the source, as the
 * LFS image builder needs. Its API passes C strings only, so the source and the chunk cross as
 * hex.
 *
 * @module
 */

import { lauxlib, lua, lualib } from "lua-wasm-bindings/dist/lua.51.js";

const hex = (bytes: ArrayLike<number>) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Compiles Lua 5.1 source to a standard binary chunk.
 *
 * @param source the Lua text (bytes as characters)
 * @param chunkName `@file.lua` or `=name`
 * @returns the chunk; throws the compiler's message on a syntax error
 *
 * @example
 * ```ts
 * import { compileLua51 } from "./lua51_compile.ts";
 * if (compileLua51("return 1", "=x")[4] !== 0x51) throw new Error();
 * ```
 */
export function compileLua51(source: string, chunkName: string): Uint8Array {
  const text = Array.from(source, (c) => c.charCodeAt(0) & 0xff);
  const name = Array.from(chunkName, (c) => c.charCodeAt(0) & 0xff);
  const L = lauxlib.luaL_newstate();
  try {
    lualib.luaL_openlibs(L);
    const code = `
      local function unhex(h) return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end)) end
      local f, err = loadstring(unhex("${hex(text)}"), unhex("${hex(name)}"))
      if not f then return "E" .. err end
      return "C" .. (string.dump(f):gsub(".", function(c) return string.format("%02x", c:byte()) end))`;
    if (lauxlib.luaL_dostring(L, code) !== 0) throw new Error(lua.lua_tostring(L, -1));
    const out = lua.lua_tostring(L, -1);
    if (out.startsWith("E")) throw new SyntaxError(out.slice(1));
    return Uint8Array.from(out.slice(1).match(/../g) ?? [], (h) => parseInt(h, 16));
  } finally {
    lua.lua_close(L);
  }
}
