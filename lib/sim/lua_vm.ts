/**
 * A real Lua VM for the simulated NodeMCU: fengari (Lua 5.3 in JavaScript, npm `fengari`),
 * with NodeMCU's `print`, no `io`/`os`/`require` (the device has no host file system), and a
 * hardware watchdog: a chunk that runs too long stops with {@link LuaOutcome} `watchdog` (a pcall
 * cannot catch it), as the ESP8266's watchdog resets a chip stuck in a loop.
 *
 * Lua strings are bytes; here they are JavaScript strings with one character per byte (Latin-1),
 * so nothing is lost either way. Modules are plain objects of JavaScript functions
 * ({@link LuaVm.defineModule}); arguments and results convert as nil ⇄ `undefined`, booleans,
 * numbers (integers stay integers), strings, and tables (results only: {@link LuaTable}).
 *
 * @module
 */

import fengari from "fengari";

/** A value passed between Lua and JavaScript. */
export type LuaValue =
  | undefined
  | boolean
  | number
  | string
  | LuaTable
  | LuaFunction
  | LuaRef
  | LuaFunctionRef;
/** A JavaScript function Lua can call; returns one value or several. */
export type LuaFunction = (...args: LuaValue[]) => LuaValue | LuaValue[];
/** A table built in JavaScript: plain keys, values converted recursively. */
export interface LuaTable {
  /** Marks a table. */
  readonly lua: "table";
  /** String keys. */
  fields?: Record<string, LuaValue>;
  /** Array part (1-based in Lua). */
  items?: LuaValue[];
}
/** A Lua value JavaScript cannot use (a table or userdata passed in). */
export interface LuaRef {
  /** Its Lua type name. */
  readonly luaType: string;
}
/**
 * A Lua function held by JavaScript: a function argument arrives as this (the JavaScript function
 * that receives it owns it), and passing it back to Lua pushes the same function. It stays alive
 * until {@link LuaVm.release}.
 */
export interface LuaFunctionRef {
  /** Marks a function reference. */
  readonly luaType: "function";
  /** Its slot in the VM's registry. */
  readonly id: number;
}
/** What {@link LuaVm.load} gives. */
export type LuaLoad =
  | { kind: "ok"; fn: LuaFunctionRef }
  | { kind: "incomplete" }
  | { kind: "error"; message: string };

/** What running a chunk did. */
export type LuaOutcome =
  | { kind: "ok"; results: string[] }
  | { kind: "incomplete" }
  | { kind: "error"; message: string }
  | { kind: "watchdog" };

/** Options for {@link LuaVm}. */
export interface LuaVmOptions {
  /** Receives each printed line (arguments joined by TAB), without the newline. */
  print(line: string): void;
  /** Instructions a chunk may run before the watchdog stops it; 50 million by default. */
  instructionLimit?: number;
  /** Told how many instructions ran (in steps of 1000), to charge device time. */
  onInstructions?(count: number): void;
}

/** A Lua state (opaque). */
type State = unknown;

/** fengari ships no types; this is the part used here. */
interface FengariApi {
  lua: {
    LUA_OK: number;
    LUA_ERRSYNTAX: number;
    LUA_MASKCOUNT: number;
    LUA_MULTRET: number;
    LUA_TNONE: number;
    LUA_TNIL: number;
    LUA_TBOOLEAN: number;
    LUA_TNUMBER: number;
    LUA_TSTRING: number;
    LUA_TFUNCTION: number;
    LUA_REGISTRYINDEX: number;
    lua_close(L: State): void;
    lua_createtable(L: State, narr: number, nrec: number): void;
    lua_getglobal(L: State, name: Uint8Array): number;
    lua_gettop(L: State): number;
    lua_pcall(L: State, nargs: number, nresults: number, msgh: number): number;
    lua_pop(L: State, n: number): void;
    lua_pushboolean(L: State, b: boolean): void;
    lua_pushinteger(L: State, n: number): void;
    lua_pushjsfunction(L: State, fn: (L: State) => number): void;
    lua_pushnil(L: State): void;
    lua_pushnumber(L: State, n: number): void;
    lua_pushvalue(L: State, index: number): void;
    lua_pushstring(L: State, s: Uint8Array): void;
    lua_rawgeti(L: State, index: number, n: number): number;
    lua_rawseti(L: State, index: number, n: number): void;
    lua_setfield(L: State, index: number, key: Uint8Array): void;
    lua_setglobal(L: State, name: Uint8Array): void;
    lua_sethook(L: State, hook: () => void, mask: number, count: number): void;
    lua_settop(L: State, index: number): void;
    lua_toboolean(L: State, index: number): boolean;
    lua_tolstring(L: State, index: number): Uint8Array | null | undefined;
    lua_tonumber(L: State, index: number): number;
    lua_type(L: State, index: number): number;
  };
  lauxlib: {
    luaL_error(L: State, message: Uint8Array): number;
    luaL_loadbuffer(L: State, code: Uint8Array, size: number, name: Uint8Array): number;
    luaL_newstate(): State;
    luaL_ref(L: State, t: number): number;
    luaL_unref(L: State, t: number, ref: number): void;
    luaL_tolstring(L: State, index: number): void;
  };
  lualib: { luaL_openlibs(L: State): void };
}
const F = fengari as FengariApi;
const { lua, lauxlib, lualib } = F;
const HOOK_STEP = 1000;

/**
 * Bytes of a string, one per character.
 *
 * @param text the string
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { bytesOf } from "./lua_vm.ts";
 * if (bytesOf("\u00e9")[0] !== 0xe9) throw new Error();
 * ```
 */
export function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

/**
 * A string with one character per byte.
 *
 * @param bytes the bytes
 * @returns the string
 *
 * @example
 * ```ts
 * import { textOf } from "./lua_vm.ts";
 * if (textOf(new Uint8Array([0x68, 0x69])) !== "hi") throw new Error();
 * ```
 */
export function textOf(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return out;
}

/**
 * The VM.
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import assert from "node:assert/strict";
 * const printed: string[] = [];
 * const vm = new LuaVm({ print: (line) => printed.push(line) });
 * assert.deepEqual(vm.run("print(6*7, 'x') return 1+1", "=stdin"), { kind: "ok", results: ["2"] });
 * assert.deepEqual(printed, ["42\tx"]);
 * assert.deepEqual(vm.run("for i = 1, 2 do", "=stdin"), { kind: "incomplete" });
 * ```
 */
export class LuaVm {
  readonly #L: State;
  readonly #limit: number;
  readonly #o: LuaVmOptions;
  #count = 0;
  #tripped = false;
  #depth = 0;

  /**
   * Creates a Lua state with the standard libraries, NodeMCU's `print` and the watchdog.
   *
   * @param options print sink, watchdog limit, instruction counter
   */
  constructor(options: LuaVmOptions) {
    this.#o = options;
    this.#limit = options.instructionLimit ?? 50_000_000;
    const L = lauxlib.luaL_newstate();
    this.#L = L;
    lualib.luaL_openlibs(L);
    for (const name of ["io", "os", "require", "package", "loadfile", "dofile"]) {
      lua.lua_pushnil(L);
      lua.lua_setglobal(L, bytesOf(name));
    }
    lua.lua_pushjsfunction(L, (L2: State) => {
      const parts: string[] = [];
      for (let i = 1; i <= lua.lua_gettop(L2); i++) parts.push(tostring(L2, i));
      this.#o.print(parts.join("\t"));
      return 0;
    });
    lua.lua_setglobal(L, bytesOf("print"));
    lua.lua_sethook(L, () => this.#hook(), lua.LUA_MASKCOUNT, HOOK_STEP);
  }

  /**
   * Loads and runs a chunk.
   *
   * @param source the code (one byte per character)
   * @param chunkName `=stdin` for typed lines, `@init.lua` for a file
   * @returns what happened; `incomplete` when the chunk needs more lines
   */
  run(source: string, chunkName: string): LuaOutcome {
    const L = this.#L;
    lua.lua_settop(L, 0);
    const loaded = this.#loadChunk(source, chunkName);
    if (loaded.kind !== "ok") return loaded;
    return this.#pcall(0, 0);
  }

  /**
   * Compiles a chunk without running it.
   *
   * @param source the code (one byte per character)
   * @param chunkName `=stdin`, `@name.lua`...
   * @returns the function (release it when done), or why it did not compile
   */
  load(source: string, chunkName: string): LuaLoad {
    const L = this.#L;
    const base = lua.lua_gettop(L);
    const loaded = this.#loadChunk(source, chunkName);
    if (loaded.kind !== "ok") return loaded;
    const fn = this.#ref(L, -1);
    lua.lua_settop(L, base);
    return { kind: "ok", fn };
  }

  /**
   * Calls a Lua function held by JavaScript, under the same watchdog as {@link run}.
   *
   * @param fn the function
   * @param args its arguments
   * @returns what happened (results as text)
   */
  call(fn: LuaFunctionRef, ...args: LuaValue[]): LuaOutcome {
    const L = this.#L;
    const base = lua.lua_gettop(L);
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, fn.id);
    for (const arg of args) this.#push(L, arg);
    return this.#pcall(base, args.length);
  }

  /**
   * Lets go of a function held by JavaScript.
   *
   * @param fn the function
   */
  release(fn: LuaFunctionRef): void {
    lauxlib.luaL_unref(this.#L, lua.LUA_REGISTRYINDEX, fn.id);
  }

  /** Closes the state (every held function with it). */
  close(): void {
    lua.lua_close(this.#L);
  }

  /** Loads a chunk onto the stack; on failure the stack is as before. */
  #loadChunk(source: string, chunkName: string): LuaLoad | { kind: "ok" } {
    const L = this.#L;
    const base = lua.lua_gettop(L);
    const code = bytesOf(source);
    const status = lauxlib.luaL_loadbuffer(L, code, code.length, bytesOf(chunkName));
    if (status === lua.LUA_OK) return { kind: "ok" };
    const message = stringAt(L, -1);
    lua.lua_settop(L, base);
    if (status === lua.LUA_ERRSYNTAX && message.endsWith("<eof>")) return { kind: "incomplete" };
    return { kind: "error", message };
  }

  /** Calls the function at `base + 1` with `nargs` arguments; leaves the stack at `base`. */
  #pcall(base: number, nargs: number): LuaOutcome {
    const L = this.#L;
    if (this.#depth === 0) {
      this.#count = 0;
      this.#tripped = false;
    }
    this.#depth++;
    const ran = lua.lua_pcall(L, nargs, lua.LUA_MULTRET, 0);
    this.#depth--;
    const tripped = this.#tripped;
    if (this.#depth === 0) this.#tripped = false;
    if (tripped) {
      lua.lua_settop(L, base);
      return { kind: "watchdog" };
    }
    if (ran !== lua.LUA_OK) {
      const message = tostring(L, -1);
      lua.lua_settop(L, base);
      return { kind: "error", message };
    }
    const results: string[] = [];
    for (let i = base + 1; i <= lua.lua_gettop(L); i++) results.push(tostring(L, i));
    lua.lua_settop(L, base);
    return { kind: "ok", results };
  }

  #ref(L: State, index: number): LuaFunctionRef {
    lua.lua_pushvalue(L, index);
    return { luaType: "function", id: lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX) };
  }

  /**
   * Sets a global to a JavaScript value or function.
   *
   * @param name the global
   * @param value the value
   */
  setGlobal(name: string, value: LuaValue): void {
    this.#push(this.#L, value);
    lua.lua_setglobal(this.#L, bytesOf(name));
  }

  /**
   * Defines a module table of functions (`node`, `file`...).
   *
   * @param name the global name
   * @param functions its functions
   */
  defineModule(name: string, functions: Record<string, LuaFunction>): void {
    this.setGlobal(name, { lua: "table", fields: functions });
  }

  /**
   * A global as a string (for `_PROMPT`), if it is a string or a number.
   *
   * @param name the global
   * @returns its value
   */
  globalString(name: string): string | undefined {
    const L = this.#L;
    lua.lua_getglobal(L, bytesOf(name));
    const t = lua.lua_type(L, -1);
    const out = t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER ? stringAt(L, -1) : undefined;
    lua.lua_pop(L, 1);
    return out;
  }

  #hook(): void {
    this.#count += HOOK_STEP;
    this.#o.onInstructions?.(HOOK_STEP);
    if (this.#count > this.#limit || this.#tripped) {
      this.#tripped = true;
      lauxlib.luaL_error(this.#L, bytesOf("watchdog"));
    }
  }

  #push(L: State, value: LuaValue): void {
    if (value === undefined) lua.lua_pushnil(L);
    else if (typeof value === "boolean") lua.lua_pushboolean(L, value);
    else if (typeof value === "number") {
      if (Number.isInteger(value) && Math.abs(value) < 2 ** 53) lua.lua_pushinteger(L, value);
      else lua.lua_pushnumber(L, value);
    } else if (typeof value === "string") lua.lua_pushstring(L, bytesOf(value));
    else if (typeof value === "function") {
      lua.lua_pushjsfunction(L, (L2: State) => this.#call(L2, value));
    } else if ("lua" in value) this.#pushTable(L, value);
    else if ("id" in value) lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, value.id);
    else lua.lua_pushnil(L);
  }

  #pushTable(L: State, table: LuaTable): void {
    lua.lua_createtable(L, table.items?.length ?? 0, 0);
    table.items?.forEach((item, i) => {
      this.#push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
    for (const [key, item] of Object.entries(table.fields ?? {})) {
      this.#push(L, item);
      lua.lua_setfield(L, -2, bytesOf(key));
    }
  }

  #call(L: State, fn: LuaFunction): number {
    const args: LuaValue[] = [];
    for (let i = 1; i <= lua.lua_gettop(L); i++) {
      args.push(lua.lua_type(L, i) === lua.LUA_TFUNCTION ? this.#ref(L, i) : valueAt(L, i));
    }
    let result: LuaValue | LuaValue[];
    try {
      result = fn(...args);
    } catch (error) {
      return lauxlib.luaL_error(L, bytesOf(error instanceof Error ? error.message : String(error)));
    }
    const values = Array.isArray(result) ? result : [result];
    for (const v of values) this.#push(L, v);
    return values.length;
  }
}

function stringAt(L: State, index: number): string {
  const s = lua.lua_tolstring(L, index);
  return s === null || s === undefined ? "" : textOf(s);
}

/** `tostring()` of a stack slot, as Lua prints it. */
function tostring(L: State, index: number): string {
  lauxlib.luaL_tolstring(L, index);
  const s = stringAt(L, -1);
  lua.lua_pop(L, 1);
  return s;
}

function valueAt(L: State, index: number): LuaValue {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return undefined;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index);
    case lua.LUA_TNUMBER:
      return lua.lua_tonumber(L, index);
    case lua.LUA_TSTRING:
      return stringAt(L, index);
    default:
      return { luaType: tostring(L, index) };
  }
}
