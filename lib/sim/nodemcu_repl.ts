/**
 * NodeMCU's interpreter for console lines (`dojob` in `app/lua53/lua.c`, the pipe front end,
 * and `app/lua/lua.c`, the readline one; nodemcu_front_end.ts): a line starting with `=` is
 * `return …`; a chunk whose compile error ends in `<eof>` is kept and the next line appended
 * (prompt `>> `); a complete chunk runs under the front end's message handler (a stack traceback
 * for runtime errors, ending with the C frames below a console line: two on the pipe front end,
 * none on readline); results are printed TAB-joined; errors as the front end prints them
 * (nodemcu_lua_main.ts); then the prompt (`_PROMPT` / `_PROMPT2` when set). On readline a line
 * is a C string: it ends at its first NUL.
 *
 * @module
 */

import type { LuaFunctionRef, LuaVm } from "./lua_vm.ts";
import type { LuaFrontEnd } from "./nodemcu_front_end.ts";
import { consoleErrorText, type LuaErrorValue } from "./nodemcu_lua_main.ts";

/** Options for {@link NodemcuRepl}. */
export interface ReplOptions {
  /** The VM. */
  vm: LuaVm;
  /** The firmware's Lua front end. */
  frontEnd: LuaFrontEnd;
  /** The `console` helper of nodemcu_lua_main.ts. */
  console: LuaFunctionRef;
  /**
   * Prints console text.
   *
   * @param text what to print (`\n` line ends)
   */
  print(text: string): void;
  /** Asked after the chunk ran: true when the firmware took over (nothing more is printed). */
  interrupted?(): boolean;
}

/** What a line did. */
export type ReplResult = "done" | "more" | "watchdog";

/**
 * The interpreter.
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { luaMainHelpers } from "./nodemcu_lua_main.ts";
 * import { NodemcuRepl } from "./nodemcu_repl.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const vm = new LuaVm({ print: (line) => (out += line + "\n") });
 * const frontEnd = { console: "pipe", callbackErrors: "onerror" } as const;
 * const { console } = luaMainHelpers(vm, frontEnd);
 * const repl = new NodemcuRepl({ vm, frontEnd, console, print: (t) => (out += t) });
 * assert.equal(repl.run("for i = 1, 2 do"), "more");
 * assert.equal(repl.prompt(), ">> ");
 * assert.equal(repl.run("print(i) end"), "done");
 * assert.equal(repl.run("=1 + 1"), "done");
 * assert.equal(out, "1\n2\n2\n");
 * ```
 */
export class NodemcuRepl {
  readonly #o: ReplOptions;
  #pending: string | undefined;

  /** @param options VM, front end, helper, printing */
  constructor(options: ReplOptions) {
    this.#o = options;
  }

  /** The prompt to show now. */
  prompt(): string {
    const vm = this.#o.vm;
    if (this.#pending !== undefined) return vm.globalString("_PROMPT2") ?? ">> ";
    return vm.globalString("_PROMPT") ?? "> ";
  }

  /**
   * Runs one line (without its line end).
   *
   * @param line the line
   * @returns `more` when the chunk is incomplete, `watchdog` when it never ended
   */
  run(line: string): ReplResult {
    const o = this.#o;
    const readline = o.frontEnd.console === "readline";
    if (readline && line.includes("\0")) line = line.slice(0, line.indexOf("\0"));
    let chunk: string;
    if (this.#pending !== undefined) chunk = `${this.#pending}\n${line}`;
    else if (line.startsWith("=")) chunk = `return ${line.slice(1).split("\0")[0]}`;
    else chunk = line;
    const loaded = o.vm.load(chunk, "=stdin");
    if (loaded.kind === "incomplete") {
      this.#pending = chunk;
      return "more";
    }
    this.#pending = undefined;
    if (loaded.kind === "error") {
      return this.#error({ type: "string", text: loaded.message }), "done";
    }
    // lua.c's stdin task: l_read_stdin and the pipe's poster, two C frames below the chunk
    const below = readline ? 0 : 2;
    const outcome = o.vm.callWith(o.console, [loaded.fn], { below });
    o.vm.release(loaded.fn);
    if (o.interrupted?.()) return "done";
    if (outcome.kind === "watchdog") return "watchdog";
    if (outcome.kind === "incomplete") return "done";
    if (outcome.kind === "error") {
      return this.#error({ type: "string", text: outcome.message }), "done";
    }
    const [ok, ...results] = outcome.results;
    if (ok === "true") {
      if (results.length > 0) o.print(`${results.join("\t")}\n`);
    } else {
      this.#error({ type: results[0] ?? "nil", text: results[1] ?? "nil" });
    }
    return "done";
  }

  #error(error: LuaErrorValue): void {
    const text = consoleErrorText(this.#o.frontEnd, error);
    if (text !== undefined) this.#o.print(`${text}\n`);
  }
}
