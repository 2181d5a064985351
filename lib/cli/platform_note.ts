/**
 * The note on systems where nodeflash's serial code has not been run yet (macOS and Windows: its
 * termios and Win32 code is written and its structures are unit-tested on Linux): said once per
 * command, when it opens a serial device, pointing to the hardware suite that would settle it.
 *
 * @module
 */

import { parseTransportUrl } from "../transport/mod.ts";

const NAMES: Partial<Record<typeof Deno.build.os, string>> = {
  darwin: "macOS",
  windows: "Windows",
};

/**
 * The note for opening `port` on `os`, or `undefined` when there is nothing to say.
 *
 * @param port the port string
 * @param os the operating system (`Deno.build.os`)
 * @returns the note
 *
 * @example
 * ```ts
 * import { untestedPlatformNote } from "./platform_note.ts";
 * import assert from "node:assert/strict";
 * assert.match(untestedPlatformNote("/dev/cu.usbserial-1410", "darwin") ?? "", /not been run on macOS/);
 * assert.equal(untestedPlatformNote("/dev/ttyUSB0", "linux"), undefined);
 * assert.equal(untestedPlatformNote("rfc2217://host:4000", "windows"), undefined);
 * ```
 */
export function untestedPlatformNote(
  port: string,
  os: typeof Deno.build.os,
): string | undefined {
  const name = NAMES[os];
  if (name === undefined) return undefined;
  let kind: string;
  try {
    kind = parseTransportUrl(port, { schemes: ["sim"] }).kind;
  } catch {
    return undefined; // a malformed port is reported when it is opened
  }
  if (kind !== "serial") return undefined;
  return `nodeflash's serial code has not been run on ${name} yet; if it misbehaves, ` +
    "tests/hardware (docs/hardware-runner.md, section 9) shows where, and a report helps";
}
