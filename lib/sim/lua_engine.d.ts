/**
 * Types of `lua_engine.js`: the Lua 5.1 and 5.3 interpreters as compiled WebAssembly modules
 * and their Emscripten module factories.
 *
 * @module
 */

/** An Emscripten module factory: builds the runtime around a compiled module, synchronously. */
export type EmscriptenFactory = (options: Record<string, unknown>) => Record<string, unknown>;

/** One interpreter. */
export interface LuaEngine {
  /** Its exact release, e.g. `5.1.5`. */
  readonly release: string;
  /** The compiled module. */
  readonly module: WebAssembly.Module;
  /** Its glue. */
  readonly factory: EmscriptenFactory;
}

/**
 * The interpreters by Lua version.
 *
 * @example
 * ```ts
 * import { LUA_ENGINES } from "./lua_engine.js";
 * if (LUA_ENGINES["5.1"].release !== "5.1.5") throw new Error();
 * ```
 */
export declare const LUA_ENGINES: Readonly<Record<"5.1" | "5.3", LuaEngine>>;
