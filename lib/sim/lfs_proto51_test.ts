import assert from "node:assert/strict";
import { lauxlib, lua, lualib } from "lua-wasm-bindings/dist/lua.51.js";
import { buildLfs51Image } from "../../tests/support/lfs_image_builder.ts";
import { compileLua51 } from "../../tests/support/lua51_compile.ts";
import { checkLfs51File, relocateLfs51 } from "./lfs_image51.ts";
import { LUA51_FLOAT_FORMAT, writeLua51Chunk } from "./lfs_lua51_chunk.ts";
import { lfs51Index, packLineInfo, readLfs51Protos, unpackLineInfo } from "./lfs_proto51.ts";

Deno.test("packed line info: deltas both ways, long runs, big jumps", () => {
  const lines = [...new Array(300).fill(4), 3, 3, 90000, 1, 1, 2];
  const packed = packLineInfo(lines);
  assert.deepEqual(unpackLineInfo(packed), lines);
  assert.equal(packed.charCodeAt(0), 0x82, "+3 from line 0 is delta byte 0x80 | (3 - 2)");
  assert.deepEqual(unpackLineInfo(`${packed}\u007f\u007f`), lines, "fill bytes end it");
});

Deno.test("an image's functions, read back from flash and run as a chunk by real Lua 5.1.5", () => {
  // (local names are not in images, as luac.cross strips them: the message has no 'x')
  const sources = [
    {
      name: "src/m.lua",
      source: 'local M = {}\nfunction M.twice(x)\n  return 2 * x\nend\nM.s = "k"\nreturn M\n',
    },
    { name: "other.lua", source: "return ..." },
  ];
  const image = buildLfs51Image(sources, { compile: compileLua51, time: 1234567890 });
  const check = checkLfs51File(image, { partitionBytes: 0x10000, numberType: "float" });
  assert.ok(check.ok);
  const base = 0x40290000;
  const main = readLfs51Protos(relocateLfs51(check.payload, base), { base, numberType: "float" });
  assert.deepEqual(lfs51Index(main), { modules: ["m", "other"], time: 1234567890 });
  assert.equal(main.protos[0]!.source, "@src/m.lua");
  const hex = Array.from(
    writeLua51Chunk(main, LUA51_FLOAT_FORMAT),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
  const L = lauxlib.luaL_newstate();
  try {
    lualib.luaL_openlibs(L);
    const code =
      `local f = assert(loadstring(("${hex}"):gsub("..", function(x) return string.char(tonumber(x, 16)) end)))
      local t, names = f()
      local ok, err = pcall(f("m")().twice, "z")
      return table.concat({ t, table.concat(names, ","), f("m")().twice(21), f("m")().s, tostring(f("nope")), f("other")("arg"), err }, "|")`;
    assert.equal(lauxlib.luaL_dostring(L, code), 0, lua.lua_tostring(L, -1));
    assert.equal(
      lua.lua_tostring(L, -1),
      "1234567890|m,other|42|k|1234567890|arg|src/m.lua:3: attempt to perform arithmetic on a string value",
    );
  } finally {
    lua.lua_close(L);
  }
});
