/**
 * The Action's inputs about the boards and how to write them: `ports`, `baud`, `flash-mode`,
 * `flash-size` and `erase`.
 *
 * @module
 */

import type { BaudSetting } from "../mod.ts";
import {
  type FlashMode,
  type FlashSizeName,
  parseFlashMode,
  parseFlashSizeSetting,
} from "../lib/image/mod.ts";
import { inputError, viaInput } from "./input_error.ts";

/** The boards: every likely ESP port of this machine, or the listed ones. */
export type PortsChoice = { kind: "auto" } | { kind: "list"; ports: string[] };

/**
 * The `ports` input: `auto` (or empty), or one port per line.
 *
 * @param text the input as given (lines)
 * @returns the choice
 * @throws a user error `input/ports`
 *
 * @example
 * ```ts
 * import { parsePortsInput } from "./board_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePortsInput(""), { kind: "auto" });
 * assert.deepEqual(parsePortsInput("/dev/ttyUSB0\n/dev/ttyUSB1\n"), {
 *   kind: "list",
 *   ports: ["/dev/ttyUSB0", "/dev/ttyUSB1"],
 * });
 * assert.throws(() => parsePortsInput("a\na"), { code: "input/ports" });
 * ```
 */
export function parsePortsInput(text: string): PortsChoice {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0 || (lines.length === 1 && lines[0]!.toLowerCase() === "auto")) {
    return { kind: "auto" };
  }
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.toLowerCase() === "auto") {
      throw inputError("ports", "'auto' cannot be mixed with ports", "Give auto alone, or ports.");
    }
    if (/\s/.test(line)) {
      throw inputError(
        "ports",
        `'${line}' contains white space`,
        "Put one port on each line (a YAML block: ports: |).",
      );
    }
    if (seen.has(line)) {
      throw inputError(
        "ports",
        `${line} is listed twice`,
        "List each board once: two jobs on one port would corrupt both writes.",
      );
    }
    seen.add(line);
  }
  return { kind: "list", ports: lines };
}

/**
 * The `baud` input: the working rate once the stub runs, `auto` (the fastest of 921600, 460800
 * and 115200 that works) or a rate.
 *
 * @param text the input, trimmed
 * @returns the rate, or `auto` (also when empty)
 * @throws a user error `input/baud`
 *
 * @example
 * ```ts
 * import { parseBaudInput } from "./board_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseBaudInput("921600"), 921600);
 * assert.equal(parseBaudInput(""), "auto");
 * assert.throws(() => parseBaudInput("fast"), { code: "input/baud" });
 * ```
 */
export function parseBaudInput(text: string): BaudSetting {
  if (text === "" || text.toLowerCase() === "auto") return "auto";
  const baud = Number(text);
  if (!/^\d+$/.test(text) || baud < 9600 || baud > 4_000_000) {
    throw inputError(
      "baud",
      `'${text}' is not a baud rate`,
      "Give auto (the fastest rate that works), or a whole number from 9600 to 4000000, e.g. 460800 (115200 for long or poor cables).",
    );
  }
  return baud;
}

/**
 * The `flash-mode` input: `keep` (or empty), `qio`, `qout`, `dio` or `dout`.
 *
 * @param text the input, trimmed
 * @returns the mode
 * @throws a user error `input/flash-mode`
 *
 * @example
 * ```ts
 * import { parseFlashModeInput } from "./board_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashModeInput(""), "keep");
 * assert.equal(parseFlashModeInput("DIO"), "dio");
 * ```
 */
export function parseFlashModeInput(text: string): FlashMode | "keep" {
  return viaInput("flash-mode", () => parseFlashMode(text || "keep", { allow: ["keep"] }));
}

/**
 * The `flash-size` input: `detect` (or empty), `keep`, or a size (the NodeMCU guide's megabit
 * names too, with a note of what they mean; a spelling that reads two ways is refused).
 *
 * @param text the input, trimmed
 * @param options where the note on a megabit name goes
 * @returns the setting
 * @throws a user error `input/flash-size`
 *
 * @example
 * ```ts
 * import { parseFlashSizeInput } from "./board_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseFlashSizeInput(""), "detect");
 * assert.equal(parseFlashSizeInput("4MB"), "4MB");
 * assert.throws(() => parseFlashSizeInput("4M"), { code: "input/flash-size" });
 * ```
 */
export function parseFlashSizeInput(
  text: string,
  options: { onNote?: (note: string) => void } = {},
): FlashSizeName | "detect" | "keep" {
  return viaInput(
    "flash-size",
    () =>
      parseFlashSizeSetting(text || "detect", {
        allow: ["keep", "detect"],
        ...(options.onNote ? { onNote: options.onNote } : {}),
      }),
  );
}

/**
 * The `erase` input: `none` (or empty) or `all`.
 *
 * @param text the input, trimmed
 * @returns the choice
 * @throws a user error `input/erase`
 *
 * @example
 * ```ts
 * import { parseEraseInput } from "./board_inputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseEraseInput(""), "none");
 * assert.equal(parseEraseInput("ALL"), "all");
 * assert.throws(() => parseEraseInput("some"), { code: "input/erase" });
 * ```
 */
export function parseEraseInput(text: string): "none" | "all" {
  const value = text === "" ? "none" : text.toLowerCase();
  if (value !== "none" && value !== "all") {
    throw inputError("erase", `'${text}' is not one of none, all`, "Use none or all.");
  }
  return value;
}
