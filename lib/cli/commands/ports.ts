/**
 * `nodeflash ports`: every serial port, with its stable names, USB ids and strings, and whether
 * its bridge is one found on ESP8266 boards.
 *
 * @module
 */

import { listPorts, type PortInfo, userError } from "../../../mod.ts";
import type { Command } from "../command.ts";
import { DEV_ROOT_ENV, portListOptions, SYSFS_ROOT_ENV } from "../port_roots.ts";

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
  help:
    "On Linux it reads /sys/class/tty and /dev (with the /dev/serial/by-id and by-path links);\n" +
    `${SYSFS_ROOT_ENV} and ${DEV_ROOT_ENV} point it at other trees.`,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) {
      throw userError("input/usage", "ports takes no arguments", "Run: nodeflash ports");
    }
    const roots = portListOptions(ctx.env);
    const ports = await listPorts(roots);
    if (ports.length === 0) {
      const where = [
        ...(roots.sysfsRoot ? [`${SYSFS_ROOT_ENV}=${roots.sysfsRoot}`] : []),
        ...(roots.devRoot ? [`${DEV_ROOT_ENV}=${roots.devRoot}`] : []),
      ];
      ctx.out.print(
        "No serial ports found. Check the USB cable (some are charge-only) and the driver." +
          (where.length > 0 ? ` (Looked under ${where.join(", ")}.)` : ""),
      );
    }
    for (const p of ports) ctx.out.print(describePort(p).join("\n"));
    ctx.out.result({ ok: true, ports });
    return 0;
  },
};
