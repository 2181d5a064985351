/**
 * One real Lua interpreter instance (lua_engine.js: Lua 5.1.5 or 5.3.6 as WebAssembly) and the
 * few C API calls the VM needs from JavaScript. The build exports only a narrow C API (no
 * `lua_pushcfunction`, `lua_sethook`, `lua_pushlstring`), so everything else travels over the
 * interpreter's standard streams (see lua_vm.ts): `stdin` bytes come from
 * {@link LuaWasmHost.input}, `stdout` and `stderr` bytes go to {@link LuaWasmHost.output} and
 * {@link LuaWasmHost.error}, one at a time.
 *
 * The instance is sealed off from the host: `os.execute` (Emscripten runs a shell for it under
 * Node) fails, `os.exit` throws {@link LuaExit} instead of ending the process, memory stays at
 * its initial 16 MiB (a runaway script gets Lua's `not enough memory`, not gigabytes), and the
 * process listeners Emscripten's glue adds under Node are removed again. `os.clock` calls
 * {@link LuaWasmHost.clock}: the VM's watchdog hook calls it, and an exception thrown there
 * unwinds straight out of the interpreter (a Lua `pcall` cannot catch it).
 *
 * @module
 */

import process from "node:process";
import { type EmscriptenFactory, LUA_ENGINES } from "./lua_engine.js";

/** A Lua version the simulator runs. */
export type LuaVersion = "5.1" | "5.3";

/** What the instance reaches outside itself. */
export interface LuaWasmHost {
  /** The next byte of `stdin`, or `null` when nothing more is queued (Lua sees end of file). */
  input(): number | null;
  /** A byte Lua wrote to `stdout`. */
  output(byte: number): void;
  /** A byte Lua wrote to `stderr`. */
  error(byte: number): void;
  /** `os.clock()` was called; what it returns does not matter. */
  clock(): void;
}

/** Thrown through the interpreter when Lua calls `os.exit` (or Emscripten's `exit`). */
export class LuaExit extends Error {
  /** @param status the exit status */
  constructor(readonly status: number) {
    super(`Lua called exit(${status})`);
  }
}

type CFunc = (...args: number[]) => number;

/** The C API subset, bound to one instance. */
export interface LuaWasm {
  /** The Lua version. */
  readonly version: LuaVersion;
  /** The main state (a pointer). */
  readonly L: number;
  /** `LUA_REGISTRYINDEX` of this version. */
  readonly registry: number;
  /** Compiles ASCII source (`luaL_loadstring`); returns the status. */
  loadAscii(source: string): number;
  /** `lua_pcall(L, nargs, nresults, 0)`; returns the status. */
  pcall(nargs: number, nresults: number): number;
  /** `lua_getfield(L, index, name)`. */
  getField(index: number, name: string): void;
  /** `lua_setfield(L, index, name)`. */
  setField(index: number, name: string): void;
  /** `lua_pushstring` of a string without NUL bytes (one byte per character). */
  pushString(text: string): void;
  /** The bytes of a string or number slot (`lua_tolstring`), or `undefined`. */
  bytesAt(index: number): Uint8Array | undefined;
  /** `lua_gettop`. */
  top(): number;
  /** `lua_settop`. */
  setTop(index: number): void;
  /** `lua_close`. */
  close(): void;
}

interface Module {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  [name: string]: unknown;
}

const LISTENED = ["uncaughtException", "unhandledRejection"] as const;

/**
 * Instantiates an interpreter with the standard libraries open.
 *
 * @param version the Lua version
 * @param host its streams and clock
 * @returns the instance
 *
 * @example
 * ```ts
 * import { openLuaWasm } from "./lua_wasm.ts";
 * let out = "";
 * const lua = openLuaWasm("5.1", {
 *   input: () => null,
 *   output: (b) => (out += String.fromCharCode(b)),
 *   error() {},
 *   clock() {},
 * });
 * lua.loadAscii("io.write(7/2, ' ', _VERSION) io.flush()");
 * lua.pcall(0, 0);
 * if (out !== "3.5 Lua 5.1") throw new Error(out);
 * lua.close();
 * ```
 */
export function openLuaWasm(version: LuaVersion, host: LuaWasmHost): LuaWasm {
  const engine = LUA_ENGINES[version];
  const M = instantiate(engine.factory, {
    print() {},
    printErr() {},
    stdin: () => host.input(),
    // Emscripten hands over bytes from its signed heap view: -128..127.
    stdout: (b: number) => host.output(b & 0xff),
    stderr: (b: number) => host.error(b & 0xff),
    quit: (status: number) => {
      throw new LuaExit(status);
    },
    instantiateWasm(
      info: { a: Record<string, unknown> },
      receive: (instance: WebAssembly.Instance) => void,
    ) {
      sealImports(info.a, host);
      const instance = new WebAssembly.Instance(engine.module, info as WebAssembly.Imports);
      receive(instance);
      return instance.exports;
    },
  });
  const fn = (name: string): CFunc => {
    const f = M[`_${name}`];
    if (typeof f !== "function") throw new Error(`Lua ${version}: no export ${name}`);
    return f as CFunc;
  };
  const api = {
    newstate: fn("luaL_newstate"),
    openlibs: fn("luaL_openlibs"),
    loadstring: fn("luaL_loadstring"),
    pcall: version === "5.1" ? fn("lua_pcall") : fn("lua_pcallk"),
    getfield: fn("lua_getfield"),
    setfield: fn("lua_setfield"),
    pushstring: fn("lua_pushstring"),
    tolstring: fn("lua_tolstring"),
    gettop: fn("lua_gettop"),
    settop: fn("lua_settop"),
    close: fn("lua_close"),
    malloc: fn("malloc"),
  };
  let scratch = { at: api.malloc(1024), size: 1024 };
  const lenAt = api.malloc(8);
  /** Writes a NUL-terminated string (one byte per character) into scratch memory. */
  const cString = (text: string): number => {
    if (text.length + 1 > scratch.size) {
      // No free() is exported: a larger buffer replaces the old one, which stays allocated.
      const size = Math.max(text.length + 1, scratch.size * 2);
      scratch = { at: api.malloc(size), size };
      if (scratch.at === 0) throw new Error(`Lua ${version}: out of memory`);
    }
    const heap = M.HEAPU8;
    for (let i = 0; i < text.length; i++) heap[scratch.at + i] = text.charCodeAt(i) & 0xff;
    heap[scratch.at + text.length] = 0;
    return scratch.at;
  };
  const L = api.newstate();
  if (L === 0) throw new Error(`Lua ${version}: cannot create a state`);
  api.openlibs(L);
  return {
    version,
    L,
    registry: version === "5.1" ? -10000 : -1001000,
    loadAscii: (source) => api.loadstring(L, cString(source)),
    pcall: (nargs, nresults) =>
      version === "5.1" ? api.pcall(L, nargs, nresults, 0) : api.pcall(L, nargs, nresults, 0, 0, 0),
    getField: (index, name) => void api.getfield(L, index, cString(name)),
    setField: (index, name) => void api.setfield(L, index, cString(name)),
    pushString: (text) => void api.pushstring(L, cString(text)),
    bytesAt: (index) => {
      const at = api.tolstring(L, index, lenAt);
      if (at === 0) return undefined;
      const length = M.HEAPU32[lenAt >> 2]!;
      return M.HEAPU8.slice(at, at + length);
    },
    top: () => api.gettop(L),
    setTop: (index) => void api.settop(L, index),
    close: () => void api.close(L),
  };
}

/** Runs the glue's factory without leaving its Node process listeners behind. */
function instantiate(factory: EmscriptenFactory, options: Record<string, unknown>): Module {
  const emitter = process as unknown as {
    listeners(event: string): unknown[];
    removeListener(event: string, listener: unknown): void;
  };
  const before = LISTENED.map((event) => new Set(emitter.listeners(event)));
  try {
    return factory(options) as unknown as Module;
  } finally {
    LISTENED.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i]!.has(listener)) emitter.removeListener(event, listener);
      }
    });
  }
}

/** Replaces the imports that would reach the host (found by their glue function names). */
function sealImports(imports: Record<string, unknown>, host: LuaWasmHost): void {
  const replacements: Record<string, (...args: number[]) => number> = {
    _clock: () => (host.clock(), 0),
    _system: () => -1,
    _emscripten_resize_heap: () => 0,
  };
  const found = new Set<string>();
  for (const [key, value] of Object.entries(imports)) {
    const name = typeof value === "function" ? value.name : "";
    const replacement = replacements[name];
    if (replacement !== undefined) {
      imports[key] = replacement;
      found.add(name);
    }
  }
  for (const name of Object.keys(replacements)) {
    if (!found.has(name)) throw new Error(`Lua glue: no import ${name} to replace`);
  }
}
