import assert from "node:assert/strict";
import { compileLua51 } from "../../tests/support/lua51_compile.ts";
import { lua51ChunkFormat, readLua51Chunk, writeLua51Chunk } from "./lfs_lua51_chunk.ts";

const SOURCE = `local t = { 1, 2.5, "x", true, false, nil }
local function f(a) local u = a return function(...) return u, ... end end
return f, t`;

Deno.test("Lua 5.1 chunks: what string.dump of real Lua 5.1.5 writes reads back and rewrites byte for byte", () => {
  const chunk = compileLua51(SOURCE, "@m.lua");
  const format = lua51ChunkFormat(chunk);
  assert.deepEqual(format, { intSize: 4, sizeTSize: 4, numberSize: 8, integral: false });
  const main = readLua51Chunk(chunk);
  assert.equal(main.source, "@m.lua");
  assert.equal(main.protos.length, 1);
  assert.deepEqual(main.protos[0]!.locVars.map((v) => v.name), ["a", "u"]);
  assert.deepEqual(main.constants.filter((k) => k.type === "number").map((k) => k.value), [1, 2.5]);
  assert.deepEqual(writeLua51Chunk(main, format), chunk);
});

Deno.test("Lua 5.1 chunks: other sizes (64-bit size_t, integer numbers) and bad headers", () => {
  const main = readLua51Chunk(compileLua51("return 7, 'seven'", "=x"));
  const wide = writeLua51Chunk(main, { intSize: 4, sizeTSize: 8, numberSize: 4, integral: true });
  assert.deepEqual([...wide.subarray(7, 12)], [4, 8, 4, 4, 1]);
  assert.deepEqual(readLua51Chunk(wide), main);
  assert.throws(() => lua51ChunkFormat(new TextEncoder().encode("\x1bLuaS\0\x19\x93\r\n\x1a\n")));
  assert.throws(() => readLua51Chunk(wide.subarray(0, 30)), /truncated/);
});
