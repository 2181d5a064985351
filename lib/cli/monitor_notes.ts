/**
 * The monitor's own words: the notes it writes to stderr between the board's output (pure text
 * functions). Every note is framed by `---` so it cannot be mistaken for the board's output.
 *
 * @module
 */

import { keyHelp, keyName } from "./monitor_keys.ts";
import { describeBootMode, describeRstCause, ROM_BAUD, type RomWindow } from "../smoke/mod.ts";

/** The note for a reset the monitor did not cause (docs/boot-log.md A.1: the ROM talks at 74880). */
export const FOREIGN_RESET_NOTE =
  "--- (board reset; the ROM's boot message at 74880 baud is not shown) ---";

/**
 * The first note: where the monitor is connected and how to leave.
 *
 * @param port the port
 * @param options console rate, whether keys work (stdin is a terminal), the end-of-input rule
 * @returns the note
 *
 * @example
 * ```ts
 * import { connectedNote } from "./monitor_notes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   connectedNote("/dev/ttyUSB0", { baud: 115200, keys: true, eof: "quit" }),
 *   "--- Connected to /dev/ttyUSB0 at 115200 baud; Ctrl-] quits, Ctrl-T H for help ---",
 * );
 * ```
 */
export function connectedNote(
  port: string,
  options: { baud: number; keys: boolean; eof: "quit" | "stay" },
): string {
  const how = options.keys
    ? "Ctrl-] quits, Ctrl-T H for help"
    : options.eof === "quit"
    ? "sending input as it comes; quitting once it ends and the board is quiet"
    : "sending input as it comes; Ctrl-C quits";
  return `--- Connected to ${port} at ${options.baud} baud; ${how} ---`;
}

/**
 * The key help.
 *
 * @returns the note
 *
 * @example
 * ```ts
 * import { helpNote } from "./monitor_notes.ts";
 * if (!helpNote().includes("Ctrl-T R")) throw new Error();
 * ```
 */
export function helpNote(): string {
  return ["--- Keys:", ...keyHelp().map((line) => `---   ${line}`)].join("\n");
}

/**
 * The note for a Ctrl-T command that does not exist.
 *
 * @param key the second key
 * @returns the note
 *
 * @example
 * ```ts
 * import { unknownKeyNote } from "./monitor_notes.ts";
 * if (unknownKeyNote(0x7a) !== "--- Ctrl-T 'z' does nothing; Ctrl-T H lists the keys ---") throw new Error();
 * ```
 */
export function unknownKeyNote(key: number): string {
  return `--- Ctrl-T ${keyName(key)} does nothing; Ctrl-T H lists the keys ---`;
}

/**
 * The note when Ctrl-T R cannot reach the reset line.
 *
 * @param port the port
 * @returns the note
 *
 * @example
 * ```ts
 * import { noResetLinesNote } from "./monitor_notes.ts";
 * if (!noResetLinesNote("socket://h:1").includes("RST button")) throw new Error();
 * ```
 */
export function noResetLinesNote(port: string): string {
  return `--- ${port} carries no DTR/RTS lines, so the monitor cannot reset the board; ` +
    "press its RST button ---";
}

/**
 * Text heard from the board made safe for a terminal: CRLF becomes LF, anything but printable
 * ASCII, TAB and LF becomes U+FFFD, blank lines around it go.
 *
 * @param text bytes as Latin-1
 * @returns the text
 *
 * @example
 * ```ts
 * import { printable } from "./monitor_notes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(printable("\r\n ets\x1b[2J\r\nok\r\n\r\n"), "ets\ufffd[2J\nok");
 * ```
 */
export function printable(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(/[^\t\n\x20-\x7e]/g, "\ufffd").trim();
}

/**
 * What the monitor says after its own reset: the ROM's boot message as heard at 74880 baud and
 * what its numbers mean, or why there is none.
 *
 * @param window what the ROM window heard
 * @param consoleBaud the rate the monitor went back to
 * @returns the note (several lines)
 *
 * @example
 * ```ts
 * import { resetNote } from "./monitor_notes.ts";
 * import { RomWindow } from "../smoke/mod.ts";
 * import assert from "node:assert/strict";
 * const w = new RomWindow(0);
 * w.feed(new TextEncoder().encode("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n"), 1);
 * assert.match(resetNote(w, 115200), /^ets Jan  8 2013,rst cause:2, boot mode:\(3,6\)$/m);
 * ```
 */
export function resetNote(window: RomWindow, consoleBaud: number): string {
  const back = `back at ${consoleBaud} baud`;
  const heard = printable(window.text());
  const header = window.header;
  if (header === undefined) {
    if (heard === "") {
      return `--- Reset the board; it said nothing at ${ROM_BAUD} baud; ${back} ---`;
    }
    if (/\ufffd/.test(heard) && heard.replace(/[^\ufffd]/g, "").length * 10 >= heard.length) {
      return `--- Reset the board; no ROM boot message at ${ROM_BAUD} baud, only noise (a ` +
        `board with a 40 MHz crystal prints it at 115200); ${back} ---`;
    }
  }
  const lines = [`--- Reset the board; what it printed at ${ROM_BAUD} baud: ---`, heard];
  if (header === undefined) {
    lines.push(`--- no ROM boot message among it; ${back} ---`);
  } else {
    const [strap] = header.bootMode;
    lines.push(
      `--- rst cause ${header.rstCause}: ${describeRstCause(header.rstCause)}; ` +
        `boot mode ${strap}: ${describeBootMode(strap)}; ${back} ---`,
    );
  }
  return lines.join("\n");
}
