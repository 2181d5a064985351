/**
 * The Action's inputs about the smoke test: `smoke`, `smoke-timeout`, and the extra probe
 * `lua` + `expect`.
 *
 * @module
 */

import { inputError } from "./input_error.ts";

/** The smoke test's boot-to-prompt limit when the input is empty, seconds. */
export const DEFAULT_SMOKE_TIMEOUT_SECONDS = 20;

/** An extra probe: one line of Lua and what its output must match. */
export interface ProbeInput {
  /** The Lua line. */
  lua: string;
  /** What its output must match. */
  expect: RegExp;
}

/**
 * A boolean input as GitHub writes them (`true`/`false`, any of three casings).
 *
 * @param name the input's name
 * @param text the input, trimmed
 * @param options `fallback` when empty
 * @returns `on` or `off`
 * @throws a user error `input/<name>`
 *
 * @example
 * ```ts
 * import { parseBooleanInput } from "./smoke_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseBooleanInput("smoke", "", { fallback: "on" }), "on");
 * assert.equal(parseBooleanInput("smoke", "False", { fallback: "on" }), "off");
 * assert.throws(() => parseBooleanInput("smoke", "yes", { fallback: "on" }), { code: "input/smoke" });
 * ```
 */
export function parseBooleanInput(
  name: string,
  text: string,
  options: { fallback: "on" | "off" },
): "on" | "off" {
  if (text === "") return options.fallback;
  if (["true", "True", "TRUE"].includes(text)) return "on";
  if (["false", "False", "FALSE"].includes(text)) return "off";
  throw inputError(name, `'${text}' is not a boolean`, "Use true or false.");
}

/**
 * The `smoke-timeout` input, seconds.
 *
 * @param text the input, trimmed
 * @returns milliseconds
 * @throws a user error `input/smoke-timeout`
 *
 * @example
 * ```ts
 * import { parseSmokeTimeoutInput } from "./smoke_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseSmokeTimeoutInput("1.5"), 1500);
 * assert.equal(parseSmokeTimeoutInput(""), 20_000);
 * ```
 */
export function parseSmokeTimeoutInput(text: string): number {
  if (text === "") return DEFAULT_SMOKE_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds <= 0 || seconds > 3600) {
    throw inputError(
      "smoke-timeout",
      `'${text}' is not a number of seconds`,
      "Give seconds from 0.1 to 3600, e.g. 30 (a first-boot format has its own, longer limit).",
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * The `lua` and `expect` inputs, which go together and need the smoke test.
 *
 * @param given the two inputs (trimmed) and the `smoke` choice
 * @returns the probe, or `undefined` when both are empty
 * @throws a user error `input/lua` or `input/expect`
 *
 * @example
 * ```ts
 * import { parseProbeInputs } from "./smoke_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseProbeInputs({ lua: "", expect: "", smoke: "on" }), undefined);
 * assert.equal(parseProbeInputs({ lua: "=1+1", expect: "^2$", smoke: "on" })?.lua, "=1+1");
 * assert.throws(() => parseProbeInputs({ lua: "=1", expect: "", smoke: "on" }), { code: "input/lua" });
 * ```
 */
export function parseProbeInputs(
  given: { lua: string; expect: string; smoke: "on" | "off" },
): ProbeInput | undefined {
  const { lua, expect, smoke } = given;
  if (lua === "" && expect === "") return undefined;
  if (lua === "") {
    throw inputError(
      "expect",
      "is set but 'lua' is empty",
      "Give the Lua line whose output it checks.",
    );
  }
  if (expect === "") {
    throw inputError(
      "lua",
      "is set but 'expect' is empty",
      "Say what its output must match, e.g. ^42$.",
    );
  }
  if (smoke === "off") {
    throw inputError(
      "lua",
      "is set but 'smoke' is false",
      "Set smoke: true, or drop lua and expect.",
    );
  }
  if (/[\r\n]/.test(lua)) {
    throw inputError(
      "lua",
      "spans several lines",
      "Give one line of Lua (join statements with ';').",
    );
  }
  try {
    return { lua, expect: new RegExp(expect) };
  } catch {
    throw inputError(
      "expect",
      `'${expect}' is not a valid regular expression`,
      "Check its brackets and escapes.",
    );
  }
}
