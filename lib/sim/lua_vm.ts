/**
 * A real Lua VM for the simulated NodeMCU: the reference interpreter of the firmware's Lua
 * version (Lua 5.1.5 or 5.3.6 compiled to WebAssembly, lua_wasm.ts), with NodeMCU's `print`,
 * no `io`/`os`/`require` (the device has no host file system), and a hardware watchdog: a chunk
 * that runs too long stops with {@link LuaOutcome} `watchdog` (a pcall cannot catch it), as the
 * ESP8266's watchdog resets a chip stuck in a loop. The chip restarts after that, so the VM is
 * done: every later call throws.
 *
 * Lua strings are bytes; here they are JavaScript strings with one character per byte (Latin-1),
 * so nothing is lost either way. Modules are plain objects of JavaScript functions
 * ({@link LuaVm.defineModule}); arguments and results convert as nil ⇄ `undefined`, booleans,
 * numbers (integers stay integers in 5.3), strings, tables (results only: {@link LuaTable}) and
 * functions: a Lua function reaches JavaScript as a {@link LuaFunctionRef} to call later
 * ({@link LuaVm.call}) and to give back ({@link LuaVm.release}). What a JavaScript function
 * throws, Lua raises as a C function would (lua_errors.ts). How JavaScript and the interpreter
 * talk is in lua_driver.ts.
 *
 * @module
 */

import { luaDriverLoader } from "./lua_driver.ts";
import { luaErrorReply } from "./lua_errors.ts";
import { type LuaFrame, LuaFrameReader } from "./lua_frames.ts";
import {
  decodeValues,
  type LuaFunction,
  type LuaFunctionRef,
  type LuaValue,
  textOf,
  valuesChunk,
} from "./lua_values.ts";
import { type LuaVersion, type LuaWasm, openLuaWasm } from "./lua_wasm.ts";

export { bytesOf, textOf } from "./lua_values.ts";
export { LuaArgError, LuaRawError } from "./lua_errors.ts";
export type { LuaFunction, LuaFunctionRef, LuaRef, LuaTable, LuaValue } from "./lua_values.ts";
export type { LuaVersion } from "./lua_wasm.ts";

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
  /** The Lua version; 5.3 by default. */
  version?: LuaVersion;
}

/** What {@link LuaVm.load} gives (`incomplete`: the compiler's message ends at `<eof>`). */
export type LuaLoad =
  | { kind: "ok"; fn: LuaFunctionRef }
  | { kind: "incomplete"; message: string }
  | { kind: "error"; message: string };

/** Options for {@link LuaVm.callWith}. */
export interface LuaCallOptions {
  /**
   * How many C frames the firmware has on the stack below this call (what tracebacks end
   * with: 2 below a console line on NodeMCU 3.x, 1 below `init.lua`); 0 by default. Only an
   * outermost call sets it.
   */
  below?: number;
}

const HOOK_STEP = 1000;
const DRIVER = "nodeflash.driver";

/** Thrown from the watchdog hook through the interpreter. */
class WatchdogTrip extends Error {}

/**
 * The VM.
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import assert from "node:assert/strict";
 * const printed: string[] = [];
 * const vm = new LuaVm({ print: (line) => printed.push(line), version: "5.1" });
 * assert.deepEqual(vm.run("print(6*7, 'x') return 7/2, unpack({1})", "=stdin"), {
 *   kind: "ok",
 *   results: ["3.5", "1"],
 * });
 * assert.deepEqual(printed, ["42\tx"]);
 * assert.deepEqual(vm.run("for i = 1, 2 do", "=stdin"), { kind: "incomplete" });
 * assert.equal(vm.run("return 7 // 2", "=stdin").kind, "error");
 * vm.close();
 * ```
 */
export class LuaVm {
  /** The Lua version. */
  readonly version: LuaVersion;
  readonly #o: LuaVmOptions;
  readonly #limit: number;
  readonly #lua: LuaWasm;
  readonly #frames = new LuaFrameReader((frame) => this.#onFrame(frame));
  readonly #functions = new Map<number, LuaFunction>();
  readonly #issued = new WeakSet<LuaFunctionRef>();
  readonly #finalizer = new FinalizationRegistry<number>((id) => this.#releases.push(id));
  #releases: number[] = [];
  #lastFunction = 0;
  #input = "";
  #inputAt = 0;
  #line = "";
  #count = 0;
  #depth = 0;
  #state: "alive" | "tripped" | "closed" = "alive";
  #hostError: { error: unknown } | undefined;

  /**
   * Starts an interpreter of the version with the bridge loaded.
   *
   * @param options print sink, watchdog limit, instruction counter, Lua version
   */
  constructor(options: LuaVmOptions) {
    this.#o = options;
    this.version = options.version ?? "5.3";
    this.#limit = options.instructionLimit ?? 50_000_000;
    const lua = openLuaWasm(this.version, {
      input: () =>
        this.#inputAt < this.#input.length ? this.#input.charCodeAt(this.#inputAt++) & 0xff : null,
      output: (byte) => this.#onOutput(byte),
      error: (byte) => this.#frames.push(byte),
      clock: () => this.#onClock(),
    });
    this.#lua = lua;
    if (lua.loadAscii(luaDriverLoader(HOOK_STEP)) !== 0 || lua.pcall(0, 1) !== 0) {
      const why = textOf(lua.bytesAt(-1) ?? new Uint8Array());
      lua.close();
      throw new Error(`Lua ${this.version}: the bridge did not start: ${why}`);
    }
    lua.setField(lua.registry, DRIVER);
  }

  /**
   * Loads and runs a chunk (source text or a binary chunk of this version), as `dofile` does.
   *
   * @param source the code (one byte per character)
   * @param chunkName `=stdin` for typed lines, `@init.lua` for a file
   * @returns what happened; `incomplete` when the chunk needs more lines
   */
  run(source: string, chunkName: string): LuaOutcome {
    return this.#outcome(this.#drive(["run", String(source.length), chunkName], source, true));
  }

  /**
   * Compiles without running (text or a binary chunk of this VM's version).
   *
   * @param source the code (one byte per character)
   * @param chunkName its name (`=stdin`, `@x.lua`)
   * @returns the function, `incomplete`, or the compiler's message
   */
  load(source: string, chunkName: string): LuaLoad {
    const outcome = this.#drive(["load", String(source.length), chunkName], source, false);
    if (outcome !== "watchdog" && outcome[0] === "ok") {
      return { kind: "ok", fn: this.#functionRef(Number(outcome[1])) };
    }
    const result = this.#outcome(outcome);
    if (result.kind === "incomplete") return { kind: "incomplete", message: outcome[1] ?? "" };
    return result.kind === "ok" || result.kind === "watchdog"
      ? { kind: "error", message: "load failed" }
      : result;
  }

  /**
   * Runs the simulator's own Lua (a module's Lua side, a helper): a chunk named `=[sim]`,
   * called with the bridge's helpers (`local B = ...`: `B.cerror(msg)` and `B.argerror(n,
   * problem)` raise as `luaL_error`/`luaL_argerror` do, `B.argshift(k)` makes the next call
   * into JavaScript count its arguments after `k` more, `B.cfunction(f)` shows `f` as a C
   * function of its own even when simulator code calls it, `B.seal()` records the globals
   * present now as the firmware's own). Its functions read as C functions to the scripts:
   * errors, tracebacks and `debug.getinfo` do not show their frames. Throws if it does not run:
   * it is the simulator's code.
   *
   * @param source the code
   */
  runHost(source: string): void {
    const outcome = this.#outcome(this.#drive(["host", String(source.length), ""], source, true));
    if (outcome.kind !== "ok") throw new Error(`simulator Lua: ${JSON.stringify(outcome)}`);
  }

  /**
   * Calls a function (a callback, a loaded chunk) under the watchdog, as run() does.
   *
   * @param fn the function
   * @param args its arguments
   * @returns what happened
   */
  call(fn: LuaFunctionRef, ...args: LuaValue[]): LuaOutcome {
    return this.callWith(fn, args);
  }

  /**
   * {@link call} with options: the firmware's C frames below the call.
   *
   * @param fn the function
   * @param args its arguments
   * @param options what tracebacks show below it
   * @returns what happened
   */
  callWith(
    fn: LuaFunctionRef,
    args: readonly LuaValue[],
    options: LuaCallOptions = {},
  ): LuaOutcome {
    const chunk = this.#chunk(args);
    const below = String(options.below ?? 0);
    return this.#outcome(
      this.#drive(["call", String(fn.id), String(chunk.length), below], chunk, true),
    );
  }

  /**
   * Lets Lua collect a function JavaScript no longer needs.
   *
   * @param fn a function this VM handed out
   */
  release(fn: LuaFunctionRef): void {
    if (!this.#issued.has(fn)) return;
    this.#issued.delete(fn);
    this.#finalizer.unregister(fn);
    this.#releases.push(fn.id);
  }

  /**
   * Sets a global to a JavaScript value or function.
   *
   * @param name the global
   * @param value the value
   */
  setGlobal(name: string, value: LuaValue): void {
    const chunk = this.#chunk([value]);
    const outcome = this.#outcome(this.#drive(["set", name, String(chunk.length)], chunk, false));
    if (outcome.kind !== "ok") {
      throw new Error(`Lua: cannot set ${name}: ${JSON.stringify(outcome)}`);
    }
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
    const outcome = this.#outcome(this.#drive(["get", name, ""], "", false));
    return outcome.kind === "ok" ? outcome.results[0] : undefined;
  }

  /** How many JavaScript functions Lua can still reach (collected ones are dropped). */
  get heldFunctions(): number {
    return this.#functions.size;
  }

  /** Frees the VM. */
  close(): void {
    if (this.#state === "alive" && this.#depth === 0) {
      try {
        this.#lua.close(); // runs the finalizers, with the watchdog idle
      } catch {
        // a finalizer failed: the VM is being dropped anyway
      }
    }
    this.#state = "closed";
    this.#functions.clear();
  }

  /** Runs a driver operation; its results as text, or `watchdog`. */
  #drive(args: string[], input: string, user: boolean): string[] | "watchdog" {
    if (this.#state !== "alive") {
      throw new Error(
        this.#state === "closed"
          ? "LuaVm: the VM is closed"
          : "LuaVm: the watchdog stopped this VM (the chip restarts); make a new one",
      );
    }
    if (this.#releases.length > 0 && this.#depth === 0) this.#flushReleases();
    const lua = this.#lua;
    const base = lua.top();
    this.#queue(input);
    if (user && this.#depth === 0) this.#count = 0;
    if (user) this.#depth++;
    let status: number;
    try {
      lua.getField(lua.registry, DRIVER);
      for (const arg of args) lua.pushString(arg);
      status = lua.pcall(args.length, -1);
    } catch (error) {
      // The interpreter was unwound in the middle of a call: it cannot be used again.
      this.#state = "tripped";
      if (error instanceof WatchdogTrip) return "watchdog";
      throw error;
    } finally {
      if (user) this.#depth--;
    }
    const out: string[] = [];
    for (let i = base + 1; i <= lua.top(); i++) {
      out.push(textOf(lua.bytesAt(i) ?? new Uint8Array()));
    }
    lua.setTop(base);
    if (this.#hostError !== undefined && this.#depth === 0) {
      const { error } = this.#hostError;
      this.#hostError = undefined;
      throw error;
    }
    return status === 0 ? out : ["error", out[0] ?? "unknown error"];
  }

  #outcome(result: string[] | "watchdog"): LuaOutcome {
    if (result === "watchdog") return { kind: "watchdog" };
    const [tag, ...rest] = result;
    if (tag === "ok") return { kind: "ok", results: rest };
    const message = rest[0] ?? "";
    // lua.c's incomplete(): a syntax error at the end of the text.
    const eof = this.version === "5.1" ? "'<eof>'" : "<eof>";
    if (tag === "syntax" && message.endsWith(eof)) return { kind: "incomplete" };
    return { kind: "error", message };
  }

  #flushReleases(): void {
    const ids = this.#releases.join(" ");
    this.#releases = [];
    this.#drive(["free", ids, ""], "", false);
  }

  #queue(bytes: string): void {
    if (bytes === "") return;
    this.#input = this.#inputAt < this.#input.length
      ? this.#input.slice(this.#inputAt) + bytes
      : bytes;
    this.#inputAt = 0;
  }

  #chunk(values: readonly LuaValue[]): string {
    return valuesChunk(values, {
      register: (fn) => {
        const id = ++this.#lastFunction;
        this.#functions.set(id, fn);
        return id;
      },
      integers: this.version !== "5.1",
    });
  }

  #functionRef(id: number): LuaFunctionRef {
    const ref: LuaFunctionRef = { luaType: "function", id };
    this.#issued.add(ref);
    this.#finalizer.register(ref, id, ref);
    return ref;
  }

  #onOutput(byte: number): void {
    if (byte !== 0x0a) {
      this.#line += String.fromCharCode(byte);
      return;
    }
    const line = this.#line;
    this.#line = "";
    try {
      this.#o.print(line);
    } catch (error) {
      this.#hostError ??= { error };
    }
  }

  #onClock(): void {
    if (this.#state !== "alive") throw new WatchdogTrip("watchdog");
    if (this.#depth === 0) return;
    this.#count += HOOK_STEP;
    try {
      this.#o.onInstructions?.(HOOK_STEP);
    } catch (error) {
      this.#hostError ??= { error };
    }
    if (this.#count > this.#limit) {
      this.#state = "tripped";
      throw new WatchdogTrip("watchdog");
    }
  }

  #onFrame(frame: LuaFrame): void {
    if (frame.kind === "collected") {
      this.#functions.delete(frame.id);
      return;
    }
    const head = /^\d+/.exec(frame.payload)?.[0] ?? "";
    const fn = this.#functions.get(Number(head));
    let reply: string;
    try {
      if (fn === undefined) throw new Error("attempt to call a collected function");
      const args = decodeValues(frame.payload.slice(head.length), (id) => this.#functionRef(id));
      const result = fn(...args);
      const chunk = this.#chunk(Array.isArray(result) ? result : [result]);
      reply = `v${chunk.length}\n${chunk}`;
    } catch (error) {
      reply = luaErrorReply(error);
    }
    // After a watchdog trip in a nested call, Lua must not go on: no reply, its read fails.
    if (this.#state === "alive") this.#queue(reply);
  }
}
