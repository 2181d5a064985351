/**
 * Picks the port to use when the user gave none: the one port that looks like an ESP8266
 * board's USB-serial bridge, or a user error whose one-line message lists the candidates (the
 * likely ESP ports, or every port when none looks like one) and whose hint says what to do.
 *
 * @module
 */

import { userError } from "../../errors.ts";
import type { PortInfo } from "./list.ts";

function describe(port: PortInfo): string {
  const parts: string[] = [];
  if (port.bridge) parts.push(port.bridge);
  else if (port.usb) parts.push(`USB ${port.usb.vid}:${port.usb.pid}`);
  if (port.usb?.product) parts.push(port.usb.product);
  const stable = port.byId[0] ?? port.byPath[0];
  const label = parts.length > 0 ? ` (${parts.join(", ")})` : "";
  return `${port.path}${label}${stable ? ` = ${stable}` : ""}`;
}

/**
 * Chooses the only likely ESP port.
 *
 * @param ports what `listPorts` found
 * @returns the chosen port
 *
 * @example
 * ```ts
 * import { choosePort } from "./choose_port.ts";
 * import assert from "node:assert/strict";
 * const ports = [
 *   { path: "/dev/ttyS4", name: "ttyS4", byId: [], byPath: [], likelyEsp: false },
 *   { path: "/dev/ttyUSB0", name: "ttyUSB0", byId: [], byPath: [], likelyEsp: true },
 * ];
 * assert.equal(choosePort(ports).path, "/dev/ttyUSB0");
 * assert.throws(() => choosePort([]), { code: "port/none-found" });
 * ```
 */
export function choosePort(ports: readonly PortInfo[]): PortInfo {
  const likely = ports.filter((p) => p.likelyEsp);
  if (likely.length === 1) return likely[0]!;
  // One line (the CLI shows an error's first lines only): the candidates, else every port.
  const listed = (likely.length > 0 ? likely : ports).map(describe).join(", ");
  const details = { ports: ports.map((p) => p.path) };
  if (ports.length === 0) {
    throw userError(
      "port/none-found",
      "No serial port was found",
      "Check the USB cable (charge-only cables have no data lines), that the board is powered, " +
        "the USB-serial driver (CP210x, CH340) and your permissions (the dialout group); or pass " +
        "--port rfc2217://host:port for a board on another machine.",
      { details },
    );
  }
  const why = likely.length > 0
    ? `${likely.length} serial ports look like ESP8266 boards`
    : ports.length === 1
    ? "The only serial port found does not look like an ESP8266 board"
    : `None of the ${ports.length} serial ports found looks like an ESP8266 board`;
  throw userError(
    "port/ambiguous",
    `${why}: ${listed}`,
    "Pass the board's port with --port (a /dev/serial/by-id or by-path name stays stable).",
    { details },
  );
}
