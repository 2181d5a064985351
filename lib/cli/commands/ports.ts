/**
 * `nodeflash ports`: every serial port, with its stable names, USB ids and strings, and whether
 * its bridge is one found on ESP8266 boards.
 *
 * @module
 */

import { listPorts, type PortInfo, userError } from "../../../mod.ts";
import type { Command } from "../command.ts";

/**
 * One port in words.
 *
 * @param p the port
 * @returns lines of text
 *
 * @example
 * ```ts
 * import { describePort } from "./ports.ts";
 * const lines = describePort({ path: "/dev/ttyUSB0", name: "ttyUSB0", byId: [], byPath: [], likelyEsp: true,
 *   bridge: "CH340", usb: { vid: "1a86", pid: "7523" } });
 * if (!lines[0]!.includes("CH340")) throw new Error();
 * ```
 */
export function describePort(p: PortInfo): string[] {
  const usb = p.usb
    ? ` USB ${p.usb.vid}:${p.usb.pid}${p.usb.manufacturer ? ` ${p.usb.manufacturer}` : ""}${
      p.usb.product ? ` ${p.usb.product}` : ""
    }${p.usb.serialNumber ? ` serial ${p.usb.serialNumber}` : ""}`
    : "";
  const bridge = p.bridge ? ` [${p.bridge}${p.likelyEsp ? ", likely an ESP board" : ""}]` : "";
  return [
    `${p.path}${bridge}${usb}`,
    ...p.byId.map((l) => `  ${l}`),
    ...p.byPath.map((l) => `  ${l}`),
  ];
}

/** The `ports` command. */
export const portsCommand: Command = {
  name: "ports",
  aliases: ["list-ports", "list_ports"],
  summary: "list serial ports, marking the USB bridges ESP8266 boards use",
  usage: "ports [--json]",
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      throw userError("input/usage", "ports takes no arguments", "Run: nodeflash ports");
    }
    const ports = await listPorts();
    if (ports.length === 0) {
      ctx.out.print(
        "No serial ports found. Check the USB cable (some are charge-only) and the driver.",
      );
    }
    for (const p of ports) ctx.out.print(describePort(p).join("\n"));
    ctx.out.result({ ok: true, ports });
    return 0;
  },
};
