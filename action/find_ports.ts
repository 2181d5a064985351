/**
 * The boards' ports: `auto` lists this machine's serial ports and keeps those whose USB bridge
 * is one found on ESP8266 boards; a list is checked for one device named twice (a udev symlink
 * and its target, or one RFC 2217 server under two spellings), since two jobs on one board
 * would ruin both writes.
 *
 * @module
 */

import { listPorts, type PortInfo, userError } from "../mod.ts";
import type { PortsChoice } from "./board_inputs.ts";

/** Options for {@link findPorts}. */
export interface FindPortsOptions {
  /** Lists serial ports (`listPorts` by default). */
  list?: () => Promise<PortInfo[]>;
  /** Resolves symlinks of device paths (`Deno.realPath` by default). */
  realPath?: (path: string) => Promise<string>;
}

function isDevicePath(port: string): boolean {
  return port.startsWith("/") || /^(\\\\\.\\)?COM\d+$/i.test(port);
}

/** A key that is equal for two spellings of one network endpoint. */
function networkKey(port: string): string | undefined {
  const m = /^(rfc2217|socket):\/\/([^/?#]+)/i.exec(port);
  if (m === null) return undefined;
  try {
    const url = new URL(`tcp://${m[2]}`);
    return `${url.hostname.toLowerCase()}:${url.port}`;
  } catch {
    return undefined;
  }
}

async function deviceKey(
  port: string,
  realPath: (path: string) => Promise<string>,
): Promise<string> {
  if (!isDevicePath(port)) return networkKey(port) ?? port;
  if (!port.startsWith("/")) return port.toUpperCase();
  try {
    return await realPath(port);
  } catch {
    return port; // opening it will say what is wrong
  }
}

async function autoPorts(list: () => Promise<PortInfo[]>): Promise<string[]> {
  const all = await list();
  const esp = all.filter((p) => p.likelyEsp);
  if (esp.length > 0) return esp.map((p) => p.path);
  const others = all.map((p) => `${p.path}${p.usb ? ` (${p.usb.vid}:${p.usb.pid})` : ""}`);
  throw userError(
    "input/ports",
    `input 'ports': auto found no serial port with an ESP board's USB bridge (CP210x, CH340, FTDI, PL2303)${
      others.length === 0 ? " and no serial port at all" : `; other ports: ${others.join(", ")}`
    }`,
    "Plug a board in and check `ls -l /dev/serial/by-path`; the runner's user needs the " +
      "dialout group, and brltty must not grab the adapter. Or list the ports in 'ports'.",
  );
}

/**
 * The ports to flash, in order.
 *
 * @param choice the parsed `ports` input
 * @param options how to list ports and resolve symlinks (tests)
 * @returns the ports
 * @throws a user error `input/ports` when `auto` finds no board, or one device is listed twice
 *
 * @example
 * ```ts
 * import { findPorts } from "./find_ports.ts";
 * import assert from "node:assert/strict";
 * const list = () => Promise.resolve([
 *   { path: "/dev/ttyS0", name: "ttyS0", byId: [], byPath: [], likelyEsp: false },
 *   { path: "/dev/ttyUSB0", name: "ttyUSB0", byId: [], byPath: [], likelyEsp: true },
 * ]);
 * assert.deepEqual(await findPorts({ kind: "auto" }, { list }), ["/dev/ttyUSB0"]);
 * await assert.rejects(
 *   findPorts({ kind: "list", ports: ["rfc2217://Lab:4000", "rfc2217://lab:4000?ign_set_control"] }),
 *   /input 'ports'/,
 * );
 * ```
 */
export async function findPorts(
  choice: PortsChoice,
  options: FindPortsOptions = {},
): Promise<string[]> {
  if (choice.kind === "auto") return await autoPorts(options.list ?? (() => listPorts()));
  const realPath = options.realPath ?? ((p: string) => Deno.realPath(p));
  const seen = new Map<string, string>();
  for (const port of choice.ports) {
    const key = await deviceKey(port, realPath);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw userError(
        "input/ports",
        `input 'ports': ${earlier} and ${port} are the same board (${key})`,
        "List each board once: two jobs on one port would corrupt both writes.",
      );
    }
    seen.set(key, port);
  }
  return choice.ports;
}
