import assert from "node:assert/strict";
import { parseLuaInputs } from "./lua_inputs.ts";
import { parseInputs } from "./inputs.ts";

Deno.test("lua inputs: empty means nothing to do; globs one per line", () => {
  assert.deepEqual(parseLuaInputs({ files: "", tests: "" }), { luaFiles: undefined, luaTests: [] });
  assert.deepEqual(parseLuaInputs({ files: "src/lua", tests: "  a/*.lua  \r\n b.lua" }).luaTests, [
    "a/*.lua",
    "b.lua",
  ]);
  const config = parseInputs({ firmware: "*.bin", "lua-files": "lua", "lua-tests": "t/*.lua" });
  assert.equal(config.luaFiles, "lua");
  assert.deepEqual(config.luaTests, ["t/*.lua"]);
});

Deno.test("lua inputs: paths that leave the workspace or two folders are refused, naming the input", () => {
  assert.throws(() => parseLuaInputs({ files: "a\nb", tests: "" }), { code: "input/lua-files" });
  assert.throws(() => parseLuaInputs({ files: "", tests: "../x/*.lua" }), {
    code: "input/lua-tests",
    message: /input 'lua-tests': '\.\.\/x\/\*\.lua' leaves the workspace/,
  });
});
