/**
 * The errors a user can act on when a serial port fails: not found, permission denied, busy,
 * vanished. Pure builders (the caller gathers the facts: which ports exist, who holds the port,
 * which group owns it), so the wording is tested without a device.
 *
 * @module
 */

import { deviceError, type NodeflashError } from "../errors.ts";

/** A process that has a port open or locked. */
export interface PortHolder {
  /** Process id. */
  pid: number;
  /** Short program name (`minicom`, `nodeflash`), when it could be read. */
  name?: string;
}

/** Known programs that grab USB-serial adapters on Linux desktops. */
const GRABBERS = "brltty (sudo apt remove brltty) and ModemManager " +
  "(sudo systemctl stop ModemManager) are known to grab USB-serial adapters";

/**
 * The port does not exist.
 *
 * @param path what the user asked for
 * @param existing paths of the ports that do exist
 * @returns a `port/not-found` device error whose hint lists the ports found
 *
 * @example
 * ```ts
 * import { portNotFound } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * const e = portNotFound("/dev/ttyUSB9", ["/dev/ttyUSB0"]);
 * assert.equal(e.code, "port/not-found");
 * assert.match(e.hint ?? "", /\/dev\/ttyUSB0/);
 * ```
 */
export function portNotFound(path: string, existing: readonly string[]): NodeflashError {
  const hint = existing.length > 0
    ? `Serial ports found: ${existing.join(", ")}. Pass one with --port.`
    : "No serial ports were found: check the USB cable (charge-only cables have no data lines), " +
      "that the board is powered and that its USB-serial driver is loaded.";
  return deviceError("port/not-found", `There is no serial port at ${path}`, hint, {
    details: { path, existing: [...existing] },
  });
}

/**
 * Opening the port was refused by file permissions.
 *
 * @param path the port
 * @param group the group that owns the device node (`dialout` when unknown)
 * @returns a `port/permission` device error with the `usermod` recipe
 *
 * @example
 * ```ts
 * import { portPermission } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * assert.match(portPermission("/dev/ttyUSB0", "dialout").hint ?? "", /usermod -aG dialout/);
 * ```
 */
export function portPermission(path: string, group = "dialout"): NodeflashError {
  return deviceError(
    "port/permission",
    `Permission denied opening ${path}`,
    `Join the group that owns the port: sudo usermod -aG ${group} $USER, then log out and in ` +
      "again (a CI runner service must be restarted).",
    { details: { path, group } },
  );
}

/**
 * Someone else has the port.
 *
 * @param path the port
 * @param holders the processes holding it, when they could be found
 * @returns a `port/busy` device error naming the holder and the usual suspects
 *
 * @example
 * ```ts
 * import { portBusy } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * const e = portBusy("/dev/ttyUSB0", [{ pid: 1234, name: "nodeflash" }]);
 * assert.equal(e.message, "/dev/ttyUSB0 is in use by process 1234 (nodeflash)");
 * assert.match(e.hint ?? "", /brltty/);
 * ```
 */
export function portBusy(path: string, holders: readonly PortHolder[]): NodeflashError {
  const who = holders.length === 0
    ? "another program"
    : holders.map((h) => `process ${h.pid}${h.name ? ` (${h.name})` : ""}`).join(", ");
  return deviceError(
    "port/busy",
    `${path} is in use by ${who}`,
    `Close the other program (a serial monitor, another nodeflash run) and try again; ${GRABBERS}.`,
    { details: { path, holders: holders.map((h) => ({ ...h })) } },
  );
}

/**
 * The device went away while the port was open (unplugged, browned out, USB reset).
 *
 * @param url the port
 * @param reason what the OS said (`EIO`, `hang-up`)
 * @returns a `port/disconnected` device error
 *
 * @example
 * ```ts
 * import { portDisconnected } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(portDisconnected("/dev/ttyUSB0", "EIO").code, "port/disconnected");
 * ```
 */
export function portDisconnected(url: string, reason: string): NodeflashError {
  return deviceError(
    "port/disconnected",
    `The device on ${url} went away (${reason})`,
    "Check the USB cable and the board's power; a board that browns out resets its USB bridge. " +
      "Then run the command again.",
    { details: { url, reason } },
  );
}

/**
 * The port is closed (a call after `close()`).
 *
 * @param url the port
 * @returns a `port/closed` device error
 *
 * @example
 * ```ts
 * import { portClosed } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * assert.equal(portClosed("/dev/ttyUSB0").code, "port/closed");
 * ```
 */
export function portClosed(url: string): NodeflashError {
  return deviceError("port/closed", `${url} is closed`, "Open the port again.");
}

/**
 * Any other failure of a system call on a port.
 *
 * @param what what was being done (`open`, `set 74880 baud on`)
 * @param path the port
 * @param reason the OS's words, with the errno name
 * @returns a `port/io-failed` device error
 *
 * @example
 * ```ts
 * import { portIoFailed } from "./port_errors.ts";
 * import assert from "node:assert/strict";
 * const e = portIoFailed("open", "/dev/ttyS4", "Input/output error (errno 5)");
 * assert.equal(e.message, "Cannot open /dev/ttyS4: Input/output error (errno 5)");
 * ```
 */
export function portIoFailed(what: string, path: string, reason: string): NodeflashError {
  return deviceError(
    "port/io-failed",
    `Cannot ${what} ${path}: ${reason}`,
    "Unplug and replug the adapter; if it keeps failing, try another USB port or cable.",
    { details: { path, reason } },
  );
}
