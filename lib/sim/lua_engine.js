// @ts-self-types="./lua_engine.d.ts"
/**
 * The real Lua interpreters the simulated NodeMCU runs: Lua 5.1.5 and 5.3.6 compiled to
 * WebAssembly by Emscripten, from npm `lua-wasm-bindings` (MIT). Each entry pairs the compiled
 * module with its Emscripten glue (a synchronous module factory). The modules are imported in
 * the source phase, so Deno compiles them as part of the module graph: no file read at run time
 * and no `--allow-read`. This file is JavaScript because TypeScript cannot parse source-phase
 * imports yet; `lua_engine.d.ts` types it. Nothing is instantiated here: lua_wasm.ts does that
 * for each VM.
 *
 * @module
 */

import source wasm51 from "lua-wasm-bindings/dist/glue/glue-lua-5.1.5.wasm";
import source wasm53 from "lua-wasm-bindings/dist/glue/glue-lua-5.3.6.wasm";
import glue51 from "lua-wasm-bindings/dist/glue/glue-lua-5.1.5.js";
import glue53 from "lua-wasm-bindings/dist/glue/glue-lua-5.3.6.js";

/** The interpreters by Lua version. */
export const LUA_ENGINES = Object.freeze({
  "5.1": Object.freeze({ release: "5.1.5", module: wasm51, factory: glue51 }),
  "5.3": Object.freeze({ release: "5.3.6", module: wasm53, factory: glue53 }),
});
