/**
 * Lua errors NodeMCU printed while it booted (docs/boot-log.md A.6): what `init.lua` or a
 * callback it set up raised, as each firmware prints it. NodeMCU runs `init.lua` in a protected
 * call and goes on to the prompt after printing its error: firmware before the 2020 rewrite of
 * its `lua.c` prefixes it with `lua: ` (`lua: init.lua:2: attempt to call global 'x' (a nil
 * value)`), 3.x prints it bare; a runtime error is followed by `stack traceback:`. From June 2020
 * a callback's error is printed the same way (its traceback, by `node.setonerror`'s default
 * handler). `lua: cannot open init.lua` is not an error, and `Lua error:` lines are the
 * console's, not the boot's. Pure.
 *
 * @module
 */

import { consoleLines } from "./console_text.ts";

/** One Lua error in a boot capture. */
export interface LuaErrorReport {
  /** Offset of its first line. */
  at: number;
  /** The error message (its first line, without `lua: `). */
  message: string;
  /** `lua` when printed as `lua: …` (NodeMCU before 2020's front end), `bare` otherwise. */
  form: "lua" | "bare";
  /** Whether a stack traceback followed (a runtime error). */
  traceback: boolean;
}

const LUA_PREFIXED = /^lua: (.+)$/;
const INIT_MISSING = /^(?:lua: )?cannot open init\.lua/;
const INIT_POSITION = /^init\.lua:\d+: /;

/**
 * Finds the Lua errors in console text, in order.
 *
 * @param text console text
 * @returns the errors
 *
 * @example
 * ```ts
 * import { findLuaErrors } from "./lua_errors.ts";
 * import assert from "node:assert/strict";
 * const [e] = findLuaErrors(
 *   "init.lua:2: boom\r\nstack traceback:\r\n\t[C]: in function 'error'\r\n\tinit.lua:2: in main chunk\r\n\t[C]: ?\r\n> ",
 * );
 * assert.deepEqual(e, { at: 0, message: "init.lua:2: boom", form: "bare", traceback: true });
 * ```
 */
export function findLuaErrors(text: string): LuaErrorReport[] {
  const lines = consoleLines(text);
  const out: LuaErrorReport[] = [];
  lines.forEach((line, i) => {
    const traceback = lines[i + 1]?.text === "stack traceback:";
    const t = line.text.replace(/^(?:>>? )+/, ""); // a callback's error may follow a prompt
    if (INIT_MISSING.test(t) || t.startsWith("Lua error:") || t.startsWith("\t")) return;
    const prefixed = LUA_PREFIXED.exec(t);
    if (prefixed) {
      out.push({ at: line.at, message: prefixed[1]!, form: "lua", traceback });
    } else if (traceback || INIT_POSITION.test(t)) {
      out.push({ at: line.at, message: t, form: "bare", traceback });
    }
  });
  return out;
}
