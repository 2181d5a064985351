/**
 * Opening the board a command works on: the port from `--port`, `NODEFLASH_PORT`, or the only
 * likely ESP port found (discovery roots from `NODEFLASH_SYSFS_ROOT` / `NODEFLASH_DEV_ROOT`); the
 * transport at the sync rate, its events rendered as notes and warnings; session options from the
 * global flags; `--trace` rendering. The transport is always closed, whatever happens.
 *
 * @module
 */

import { choosePort } from "../transport/mod.ts";
import {
  DEFAULT_BAUD,
  listPorts,
  type OpenSessionOptions,
  openTransport,
  parseBefore,
  type Transport,
} from "../../mod.ts";
import { toHex, type TraceEvent } from "../protocol/mod.ts";
import type { CommandContext } from "./command.ts";
import { untestedPlatformNote } from "./platform_note.ts";
import { portListOptions } from "./port_roots.ts";
import { renderTransportEvents } from "./transport_notes.ts";

/** The rate the ROM syncs at (esptool never syncs above it). */
const SYNC_BAUD = 115200;

/**
 * The port to use.
 *
 * @param ctx the command context
 * @returns a port path or URL
 */
export async function resolvePort(ctx: CommandContext): Promise<string> {
  const port = await choose(ctx);
  const note = untestedPlatformNote(port, Deno.build.os);
  if (note !== undefined) ctx.out.note(note, "port/untested-platform");
  return port;
}

async function choose(ctx: CommandContext): Promise<string> {
  if (ctx.global.port !== undefined && ctx.global.port !== "") return ctx.global.port;
  const port = choosePort(await listPorts(portListOptions(ctx.env)));
  ctx.out.info(`Using ${port.path} (the only ESP-like serial port found)`);
  return port.path;
}

/**
 * Renders one trace event as a line of hex.
 *
 * @param e the event
 * @returns the line
 *
 * @example
 * ```ts
 * import { traceLine } from "./board.ts";
 * if (!traceLine({ direction: "in", frame: new Uint8Array([1, 8]) }).includes("01 08")) throw new Error();
 * ```
 */
export function traceLine(e: TraceEvent): string {
  const t = (performance.now() / 1000).toFixed(3);
  switch (e.direction) {
    case "out":
      return `TRACE ${t} --> ${e.name} (${e.bytes.length} bytes): ${toHex(e.bytes, " ")}`;
    case "out-raw":
      return `TRACE ${t} --> raw frame (${e.bytes.length} bytes): ${toHex(e.bytes, " ")}`;
    case "in":
      return `TRACE ${t} <-- frame (${e.frame.length} bytes): ${toHex(e.frame, " ")}`;
    case "in-garbage":
      return `TRACE ${t} <-- ${e.bytes.length} bytes outside frames: ${toHex(e.bytes, " ")}`;
    case "in-invalid":
      return `TRACE ${t} <-- invalid frame (${e.reason}, ${e.bytes.length} bytes)`;
  }
}

/**
 * Session options from the global flags.
 *
 * @param ctx the command context
 * @returns options for openSession / flash
 */
export function sessionOptions(ctx: CommandContext): OpenSessionOptions {
  const g = ctx.global;
  const options: OpenSessionOptions = {
    loader: g.noStub ? "rom" : "stub",
    baud: g.baud ?? DEFAULT_BAUD,
    signal: ctx.signal,
  };
  if (g.before !== undefined) options.before = parseBefore(g.before);
  if (g.connectAttempts !== undefined) options.attempts = g.connectAttempts;
  if (g.trace) options.onTrace = (e) => ctx.out.stderr(traceLine(e) + "\n");
  return options;
}

/**
 * Opens the board's transport at the sync rate, runs `fn`, closes it.
 *
 * @param ctx the command context
 * @param fn the work
 * @returns what `fn` returns
 */
export async function withTransport<T>(
  ctx: CommandContext,
  fn: (transport: Transport, port: string) => Promise<T>,
): Promise<T> {
  const port = await resolvePort(ctx);
  const baud = Math.min(SYNC_BAUD, ctx.global.baud ?? SYNC_BAUD);
  const transport = await openTransport(port, {
    baudRate: baud,
    signal: ctx.signal,
    onEvent: renderTransportEvents(ctx.out),
    // the `port/not-found` hint lists what discovery finds, from the same roots
    listPortPaths: async () => (await listPorts(portListOptions(ctx.env))).map((p) => p.path),
  });
  try {
    return await fn(transport, port);
  } finally {
    await transport.close();
  }
}
