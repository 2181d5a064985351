/**
 * A line evaluator backed by a real Lua VM (fengari, Lua 5.3 in JavaScript) with the few
 * NodeMCU bits the smoke test touches (`node.heap()`), for test boards. Printing goes to the
 * returned output instead of stdout. Lines that are an incomplete chunk ask for more, as
 * NodeMCU's `>> ` continuation prompt does; a leading `=` means `return`, as in NodeMCU 3.x.
 *
 * @module
 */

import fengari from "fengari";

/** What a line produced at the prompt. */
export interface LineResult {
  /** Printed output, lines separated by `\n` (no trailing newline). */
  output: string;
  /** The chunk is incomplete: the REPL shows the continuation prompt. */
  more: boolean;
}

/** Evaluates one typed line. */
export type LineEvaluator = (line: string) => LineResult;

/** The part of fengari's API used here (the package ships no types). */
interface FengariApi {
  lua: {
    LUA_OK: number;
    LUA_ERRSYNTAX: number;
    LUA_MULTRET: number;
    lua_pcall(L: unknown, nargs: number, nresults: number, msgh: number): number;
    lua_tojsstring(L: unknown, index: number): string;
    lua_settop(L: unknown, index: number): void;
    lua_gettop(L: unknown): number;
    lua_pushnumber(L: unknown, n: number): void;
    lua_setglobal(L: unknown, name: Uint8Array): void;
  };
  lauxlib: {
    luaL_newstate(): unknown;
    luaL_loadbuffer(L: unknown, buff: Uint8Array, size: number, name: Uint8Array): number;
    luaL_dostring(L: unknown, code: Uint8Array): number;
  };
  lualib: { luaL_openlibs(L: unknown): void };
  to_luastring(text: string): Uint8Array;
}

const SETUP = `
node = { heap = function() return math.tointeger(HEAP) or HEAP end }
__out = {}
print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
  __out[#__out + 1] = table.concat(parts, "\\t")
end
function __flush() local s = table.concat(__out, "\\n"); __out = {}; return s end
`;

/**
 * Creates a Lua REPL evaluator.
 *
 * @param options `heap`: what `node.heap()` returns (40960 by default)
 * @returns the evaluator
 *
 * @example
 * ```ts
 * import { createLuaRepl } from "./lua_repl.ts";
 * import assert from "node:assert/strict";
 * const run = createLuaRepl({ heap: 41234 });
 * assert.deepEqual(run('print("x"..(6*7), node.heap())'), { output: "x42\t41234", more: false });
 * assert.deepEqual(run("for i = 1, 2 do"), { output: "", more: true });
 * assert.deepEqual(run("print(i) end"), { output: "1\n2", more: false });
 * ```
 */
export function createLuaRepl(options: { heap?: number } = {}): LineEvaluator {
  const api = fengari as FengariApi;
  const { lua, lauxlib, lualib, to_luastring } = api;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  lua.lua_pushnumber(L, options.heap ?? 40960);
  lua.lua_setglobal(L, to_luastring("HEAP"));
  if (lauxlib.luaL_dostring(L, to_luastring(SETUP)) !== lua.LUA_OK) {
    throw new Error(`Lua setup failed: ${lua.lua_tojsstring(L, -1)}`);
  }
  let pending = "";
  const flush = (): string => {
    lauxlib.luaL_dostring(L, to_luastring("return __flush()"));
    const s = lua.lua_tojsstring(L, -1);
    lua.lua_settop(L, 0);
    return s;
  };
  return (line) => {
    const source = pending === "" && line.startsWith("=") ? `return ${line.slice(1)}` : line;
    const chunk = pending + source;
    const code = to_luastring(chunk);
    const status = lauxlib.luaL_loadbuffer(L, code, code.length, to_luastring("=stdin"));
    if (status === lua.LUA_ERRSYNTAX && lua.lua_tojsstring(L, -1).endsWith("<eof>")) {
      lua.lua_settop(L, 0);
      pending = chunk + "\n";
      return { output: "", more: true };
    }
    pending = "";
    if (status !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_settop(L, 0);
      return { output: `Lua error: \t${message}`, more: false };
    }
    if (lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0) !== lua.LUA_OK) {
      const message = lua.lua_tojsstring(L, -1);
      lua.lua_settop(L, 0);
      return {
        output: [flush(), `Lua error: \t${message}`].filter((s) => s).join("\n"),
        more: false,
      };
    }
    const results: string[] = [];
    for (let i = 1; i <= lua.lua_gettop(L); i++) results.push(lua.lua_tojsstring(L, i));
    lua.lua_settop(L, 0);
    const printed = flush();
    return {
      output: [printed, results.join("\t")].filter((s) => s !== "").join("\n"),
      more: false,
    };
  };
}
