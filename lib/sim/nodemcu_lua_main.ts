/**
 * What NodeMCU's `lua.c` and `luaL_pcallx` put around the Lua they run, per front end
 * (nodemcu_front_end.ts): the message handlers (run in the VM as simulator code, so tracebacks
 * see C functions where the firmware has them) and how an error is printed.
 *
 * - **Message handlers.** The readline front end's `traceback` hands a string error to
 *   `debug.traceback(msg, 2)` (if `debug.traceback` is a function) and leaves anything else as
 *   it is; the pipe front end's `msghandler` and `luaL_pcallx`'s `errhandler` call whatever
 *   `debug.traceback` is with any error object. The helpers return `true, results…` or `false,
 *   type, text` (the error's Lua type and `tostring`), `false, "none"` when `luaL_pcallx`'s
 *   handler had no traceback function to call (it then reports nothing).
 * - **A console line's error** ({@link consoleErrorText}): readline `report()`s it bare (`(error
 *   object is not a string)` for a table, nothing for nil); the pipe front end prints
 *   `Lua error: ` + TAB + the error through `print` (builds from 16 June 2020 on), or
 *   `Lua error: ` + the string before that.
 * - **`init.lua`'s error** ({@link initErrorText}): readline `report()`s it with the program
 *   name, `lua: `; the pipe front end `print`s it. Both then go on to the prompt.
 *
 * @module
 */

import type { LuaFunctionRef, LuaVm } from "./lua_vm.ts";
import type { LuaFrontEnd } from "./nodemcu_front_end.ts";

/** The helpers, held by JavaScript. */
export interface LuaMainHelpers {
  /** `f(...)` under the front end's `lua.c` message handler (console lines, `init.lua`). */
  console: LuaFunctionRef;
  /** `f(...)` under `luaL_pcallx`'s handler (callbacks, from 16 June 2020). */
  callback: LuaFunctionRef;
  /** `f(...)` with the error object left as it is (what `PANIC` prints). */
  plain: LuaFunctionRef;
}

const HELPERS = `local B = ...
local unpack, select, type, tostring, xpcall = table.unpack or unpack, select, type, tostring, xpcall
local function pack(...) return { n = select("#", ...), ... } end
local direct = _VERSION ~= "Lua 5.1"
local NONE = {}
local function runner(h)
  return function(f, ...)
    local r
    if direct then r = pack(xpcall(f, h, ...))
    else
      -- Lua 5.1's xpcall passes no arguments: call through a closure (no tail call: its frame
      -- would read as "(tail call)")
      local a = pack(...)
      r = pack(xpcall(function()
        local q = pack(f(unpack(a, 1, a.n)))
        return unpack(q, 1, q.n)
      end, h))
    end
    if r[1] then return unpack(r, 1, r.n) end
    if r[2] == NONE then return false, "none" end
    return false, type(r[2]), tostring(r[2])
  end
end
-- app/lua/lua.c (readline) traceback()
local readline = B.cfunction(function(e)
  if type(e) ~= "string" and type(e) ~= "number" then return e end
  local d = debug
  if type(d) ~= "table" then return e end
  local tb = d.traceback
  if type(tb) ~= "function" then return e end
  local t = tb(e, 2)
  return t
end)
-- app/lua53/lua.c msghandler()
local pipe = B.cfunction(function(e)
  local tb = debug.traceback
  if type(tb) ~= "function" then return tb end
  local t = tb(e, 2)
  return t
end)
-- luaL_pcallx's errhandler(): the traceback is reported, or nothing when there is none
local pcallx = B.cfunction(function(e)
  local tb = debug.traceback
  if type(tb) ~= "function" then return NONE end
  local t = tb(e, 2)
  return t
end)
__sim_hold(runner(FRONT == "pipe" and pipe or readline))
__sim_hold(runner(pcallx))
__sim_hold(runner(function(e) return e end))
__sim_hold = nil`;

/**
 * Defines the helpers in a VM.
 *
 * @param vm the VM
 * @param frontEnd the firmware's front end
 * @returns the helpers
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { luaMainHelpers } from "./nodemcu_lua_main.ts";
 * import assert from "node:assert/strict";
 * const vm = new LuaVm({ print() {} });
 * const { plain } = luaMainHelpers(vm, { console: "pipe", callbackErrors: "onerror" });
 * const f = vm.load("error('no')", "=stdin");
 * assert.deepEqual(f.kind === "ok" && vm.call(plain, f.fn), { kind: "ok", results: ["false", "string", "stdin:1: no"] });
 * ```
 */
export function luaMainHelpers(vm: LuaVm, frontEnd: LuaFrontEnd): LuaMainHelpers {
  const held: LuaFunctionRef[] = [];
  vm.setGlobal("__sim_hold", (fn) => {
    if (typeof fn === "object" && fn !== null && "id" in fn) held.push(fn);
    return undefined;
  });
  vm.runHost(HELPERS.replace("FRONT", JSON.stringify(frontEnd.console)));
  const [console, callback, plain] = held;
  if (console === undefined || callback === undefined || plain === undefined) {
    throw new Error("the Lua helpers did not load");
  }
  return { console, callback, plain };
}

/** What a helper's failure said: the error's Lua type and its `tostring`. */
export interface LuaErrorValue {
  /** Its Lua type (`string`, `nil`, `table`…). */
  type: string;
  /** `tostring` of it. */
  text: string;
}

/**
 * What `lua.c` prints for a console line's error (compile or runtime), without the line end;
 * `undefined` when it prints nothing.
 *
 * @param frontEnd the firmware's front end
 * @param error the error
 * @returns the text
 *
 * @example
 * ```ts
 * import { consoleErrorText } from "./nodemcu_lua_main.ts";
 * const e = { type: "string", text: "stdin:1: x" };
 * if (consoleErrorText({ console: "pipe", callbackErrors: "onerror" }, e) !== "Lua error: \tstdin:1: x") throw new Error();
 * if (consoleErrorText({ console: "readline", callbackErrors: "panic" }, e) !== "stdin:1: x") throw new Error();
 * ```
 */
export function consoleErrorText(frontEnd: LuaFrontEnd, error: LuaErrorValue): string | undefined {
  const stringy = error.type === "string" || error.type === "number";
  if (frontEnd.console === "readline") {
    if (error.type === "nil") return undefined;
    return stringy ? error.text : "(error object is not a string)";
  }
  if (frontEnd.callbackErrors === "onerror") {
    return error.type === "nil" ? "nil" : `Lua error: \t${error.text}`;
  }
  if (error.type === "nil") return undefined;
  return `Lua error: ${stringy ? error.text : "(null)"}`;
}

/**
 * What the firmware prints when `init.lua` fails (compile or runtime), without the line end;
 * `undefined` when it prints nothing.
 *
 * @param frontEnd the firmware's front end
 * @param error the error
 * @returns the text
 *
 * @example
 * ```ts
 * import { initErrorText } from "./nodemcu_lua_main.ts";
 * const e = { type: "string", text: "init.lua:1: x" };
 * if (initErrorText({ console: "readline", callbackErrors: "panic" }, e) !== "lua: init.lua:1: x") throw new Error();
 * if (initErrorText({ console: "pipe", callbackErrors: "onerror" }, e) !== "init.lua:1: x") throw new Error();
 * ```
 */
export function initErrorText(frontEnd: LuaFrontEnd, error: LuaErrorValue): string | undefined {
  if (frontEnd.console === "pipe") return error.text;
  if (error.type === "nil") return undefined;
  const stringy = error.type === "string" || error.type === "number";
  return `lua: ${stringy ? error.text : "(error object is not a string)"}`;
}

/**
 * What `PANIC` says about an error object (`lua_tostring`, `(null)` when it is not a string).
 *
 * @param error the error
 * @returns the text inside the parentheses
 *
 * @example
 * ```ts
 * import { panicText } from "./nodemcu_lua_main.ts";
 * if (panicText({ type: "table", text: "table: 0x1" }) !== "(null)") throw new Error();
 * ```
 */
export function panicText(error: LuaErrorValue): string {
  return error.type === "string" || error.type === "number" ? error.text : "(null)";
}
