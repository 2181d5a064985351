/**
 * How a JavaScript function that Lua calls (lua_vm.ts) raises a Lua error the way a C function
 * does. Any `Error` it throws is `luaL_error(L, message)`: Lua sees the message after the
 * position of the code that called the function (`stdin:1: `), none when C called it.
 * {@link LuaArgError} is `luaL_argerror`: the bridge words it as that Lua version does, with
 * the function's name as the calling code named it (`bad argument #1 to 'open' (string
 * expected, got no value)`, `self` not counted in a method call). {@link LuaRawError} is
 * `lua_error` with a message: no position.
 *
 * @module
 */

/**
 * `luaL_argerror(L, position, problem)`.
 *
 * @example
 * ```ts
 * import { LuaArgError } from "./lua_errors.ts";
 * const e = new LuaArgError(2, "number expected, got string");
 * if (e.position !== 2 || e.message !== "bad argument #2 (number expected, got string)") throw new Error();
 * ```
 */
export class LuaArgError extends Error {
  /**
   * @param position the argument's position among what the function received (1 = first)
   * @param problem what is wrong (`number expected, got no value`, `filename invalid`)
   */
  constructor(readonly position: number, readonly problem: string) {
    super(`bad argument #${position} (${problem})`);
  }

  /**
   * The same error for a function that received `by` more arguments before these (a method's
   * `self` the JavaScript side did not see).
   *
   * @param by how many arguments came first
   * @returns the shifted error
   *
   * @example
   * ```ts
   * import { LuaArgError } from "./lua_errors.ts";
   * if (new LuaArgError(1, "x").shifted(1).position !== 2) throw new Error();
   * ```
   */
  shifted(by: number): LuaArgError {
    return new LuaArgError(this.position + by, this.problem);
  }
}

/**
 * `lua_error` with a message: Lua sees the message as it is, without a position.
 *
 * @example
 * ```ts
 * import { LuaRawError } from "./lua_errors.ts";
 * if (new LuaRawError("cannot open x").message !== "cannot open x") throw new Error();
 * ```
 */
export class LuaRawError extends Error {}

/**
 * The bridge's reply (lua_driver.ts) that makes the calling Lua function raise a JavaScript
 * function's error: `a` for {@link LuaArgError}, `r` for {@link LuaRawError}, `e` for any other.
 *
 * @param error what the JavaScript function threw
 * @returns the reply, `<kind><length>\n<body>`
 *
 * @example
 * ```ts
 * import { LuaArgError, luaErrorReply } from "./lua_errors.ts";
 * if (luaErrorReply(new LuaArgError(1, "x")) !== "a3\n1:x") throw new Error();
 * if (luaErrorReply(new Error("no")) !== "e2\nno") throw new Error();
 * ```
 */
export function luaErrorReply(error: unknown): string {
  if (error instanceof LuaArgError) {
    const body = `${error.position}:${error.problem}`;
    return `a${body.length}\n${body}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${error instanceof LuaRawError ? "r" : "e"}${message.length}\n${message}`;
}
