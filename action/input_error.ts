/**
 * Errors about one input of the Action: each names the input (`input 'baud': ...`) and carries
 * the code `input/<name>`, so a failed run says which line of the workflow to fix.
 *
 * @module
 */

import { isNodeflashError, userError } from "../mod.ts";

/**
 * A user error that names the input.
 *
 * @param name the input's name in `action.yml`
 * @param message what is wrong with its value
 * @param hint what to write instead
 * @returns the error, code `input/<name>`
 *
 * @example
 * ```ts
 * import { inputError } from "./input_error.ts";
 * import assert from "node:assert/strict";
 * const e = inputError("baud", "'fast' is not a baud rate", "Give e.g. 460800.");
 * assert.equal(e.code, "input/baud");
 * assert.equal(e.message, "input 'baud': 'fast' is not a baud rate");
 * ```
 */
export function inputError(name: string, message: string, hint: string) {
  return userError(`input/${name}`, `input '${name}': ${message}`, hint);
}

/**
 * Runs a library parser, turning its user error into one that names the input.
 *
 * @param name the input's name
 * @param parse the parser, called once
 * @returns what the parser returns
 * @throws a user error `input/<name>` with the library's message and hint
 *
 * @example
 * ```ts
 * import { viaInput } from "./input_error.ts";
 * import { userError } from "../mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(viaInput("baud", () => 1), 1);
 * assert.throws(
 *   () => viaInput("flash-mode", () => { throw userError("image/bad-mode", "no", "Use dio."); }),
 *   { code: "input/flash-mode", message: "input 'flash-mode': no" },
 * );
 * ```
 */
export function viaInput<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!isNodeflashError(e)) throw e;
    throw inputError(name, e.message, e.hint ?? `See the '${name}' input in docs/action.md.`);
  }
}
