/**
 * NodeMCU's interpreter for console lines (`dojob` in `app/lua53/lua.c`, 3.x, and
 * `app/lua/lua.c`, 2.x): a line starting with `=` is `return …`; a chunk whose compile error
 * ends in `<eof>` is kept and the next line appended (prompt `>> `); a complete chunk runs under
 * a message handler that adds a stack traceback to runtime errors; results are printed TAB-joined;
 * errors are printed as `Lua error: ` + TAB + message on 3.x, the bare message before; then the
 * prompt (`_PROMPT` / `_PROMPT2` when set). On 2.x a line is a C string: it ends at its first NUL.
 *
 * @module
 */

import type { LuaFunctionRef, LuaVm } from "./lua_vm.ts";

/** Options for {@link NodemcuRepl}. */
export interface ReplOptions {
  /** The VM. */
  vm: LuaVm;
  /** Console spellings: 3.x or older. */
  era: "3.x" | "2.x";
  /** Lua release of the build (`5.1.4`, `5.3.5`), for the traceback's last lines. */
  lua: string;
  /** A Lua function `(f) -> xpcall(f, traceback handler)` (see {@link luaHelpers}). */
  traced: LuaFunctionRef;
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
 * The Lua helpers the firmware model calls through (defined in Lua, held by JavaScript):
 * `traced(f, ...)` runs `f` under a handler adding `debug.traceback`; `plain(f, ...)` under one
 * that keeps the bare error.
 *
 * @param vm the VM
 * @returns the two helpers
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { luaHelpers } from "./nodemcu_repl.ts";
 * import assert from "node:assert/strict";
 * const vm = new LuaVm({ print() {} });
 * const { plain } = luaHelpers(vm);
 * const f = vm.load("error('no')", "=stdin");
 * assert.deepEqual(f.kind === "ok" && vm.call(plain, f.fn), { kind: "ok", results: ["false", "stdin:1: no"] });
 * ```
 */
export function luaHelpers(vm: LuaVm): { traced: LuaFunctionRef; plain: LuaFunctionRef } {
  const held: LuaFunctionRef[] = [];
  vm.setGlobal("__sim_hold", (fn) => {
    if (typeof fn === "object" && fn !== null && "id" in fn) held.push(fn);
    return undefined;
  });
  const outcome = vm.run(
    `local unpack = table.unpack or unpack
    local function pack(...) return { n = select("#", ...), ... } end
    local direct = _VERSION ~= "Lua 5.1"
    local function wrap(h)
      return function(__sim_call, ...)
        -- Lua 5.1's xpcall passes no arguments: call through a closure (its frame is renamed).
        if direct then return xpcall(__sim_call, h, ...) end
        local a = pack(...)
        return xpcall(function()
          local r = pack(__sim_call(unpack(a, 1, a.n)))
          return unpack(r, 1, r.n)
        end, h)
      end
    end
    __sim_hold(wrap(function(e) return debug.traceback(e, 2) end))
    __sim_hold(wrap(function(e) return e end))
    __sim_hold = nil`,
    "=[sim]",
  );
  if (outcome.kind !== "ok" || held.length !== 2) throw new Error("the Lua helpers did not load");
  return { traced: held[0]!, plain: held[1]! };
}

/**
 * A traceback as the firmware prints it: the helper's own frames cut off, C frames as `[C]`,
 * and on 3.x the two C frames below a console line (the stdin pipe's reader and its task).
 *
 * @param message the error with its traceback
 * @param options era and Lua release; `console`: a console line (not a callback)
 * @returns the text
 *
 * @example
 * ```ts
 * import { firmwareTraceback } from "./nodemcu_repl.ts";
 * import assert from "node:assert/strict";
 * const raw = "stdin:1: x\nstack traceback:\n\tstdin:1: in main chunk\n\t[JS]: in function 'xpcall'\n\t[sim]:5: in function <[sim]:3>";
 * assert.equal(firmwareTraceback(raw, { era: "2.x", lua: "5.1.4", console: true }), "stdin:1: x\nstack traceback:\n\tstdin:1: in main chunk");
 * ```
 */
export function firmwareTraceback(
  message: string,
  options: { era: "3.x" | "2.x"; lua: string; console: boolean },
): string {
  const cut = message.search(/\n\t\[(?:JS|C)\]: in function 'xpcall'/);
  const lines = (cut < 0 ? message : message.slice(0, cut)).split("\n");
  const out: string[] = [];
  lines.forEach((line, i) => {
    const sim =
      /^\t\[sim\]:\d+: in (?:function|field|method|upvalue|local) '(?:[\w.]+[.:])?([^'.:]+)'$/
        .exec(line);
    // The simulator's Lua wrappers stand for C functions: a wrapper raising an error is the C
    // function raising it; its other frames are not on the device's stack.
    if (sim) return void out.push(`\t[C]: in function '${sim[1]}'`);
    if (line.includes("[sim]")) return;
    const call = /^\t(.*?): in (?:upvalue|local|function) '__sim_(call|chunk)'$/.exec(line);
    if (call) {
      const chunk = call[2] === "chunk" || options.console;
      const what = chunk ? "main chunk" : `function <${call[1]}>`;
      return void out.push(`\t${call[1]}: in ${what}`);
    }
    const next = lines[i + 1] ?? "";
    if (/^\t\[(?:JS|C)\]: in function 'error'$/.test(line) && next.includes("[sim]")) return;
    out.push(line.replace(/^\t\[JS\]: /, "\t[C]: "));
  });
  let text = out.join("\n");
  if (cut >= 0 && options.console && options.era === "3.x") {
    text += options.lua.startsWith("5.1") ? "\n\t[C]: ?\n\t[C]: ?" : "\n\t[C]: in ?\n\t[C]: in ?";
  }
  return text;
}

/**
 * The interpreter.
 *
 * @example
 * ```ts
 * import { LuaVm } from "./lua_vm.ts";
 * import { luaHelpers, NodemcuRepl } from "./nodemcu_repl.ts";
 * import assert from "node:assert/strict";
 * let out = "";
 * const vm = new LuaVm({ print: (line) => (out += line + "\n") });
 * const repl = new NodemcuRepl({ vm, era: "3.x", lua: "5.1.4", traced: luaHelpers(vm).traced, print: (t) => (out += t) });
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

  /** @param options VM, era, printing */
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
    if (o.era === "2.x" && line.includes("\0")) line = line.slice(0, line.indexOf("\0"));
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
    if (loaded.kind === "error") return this.#error(loaded.message), "done";
    const outcome = o.vm.call(o.traced, loaded.fn);
    o.vm.release(loaded.fn);
    if (o.interrupted?.()) return "done";
    if (outcome.kind === "watchdog") return "watchdog";
    if (outcome.kind === "incomplete") return "done";
    if (outcome.kind === "error") return this.#error(outcome.message), "done";
    const [ok, ...results] = outcome.results;
    if (ok === "true") {
      if (results.length > 0) o.print(`${results.join("\t")}\n`);
    } else {
      this.#error(firmwareTraceback(results[0] ?? "nil", { ...o, console: true }));
    }
    return "done";
  }

  #error(message: string): void {
    this.#o.print(this.#o.era === "3.x" ? `Lua error: \t${message}\n` : `${message}\n`);
  }
}
