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
  DEFAULT_RETRIES,
  LinkMemory,
  listPorts,
  openReopenable,
  type OpenSessionOptions,
  openTransport,
  parseBefore,
  type RecoveryOptions,
  ReopenableTransport,
  type Transport,
} from "../../mod.ts";
import { toHex, type TraceEvent } from "../protocol/mod.ts";
import type { CommandContext } from "./command.ts";
import { checkOnePort } from "./multi_port.ts";
import { untestedPlatformNote } from "./platform_note.ts";
import { portListOptions } from "./port_roots.ts";
import { renderTransportEvents } from "./transport_notes.ts";

/** The rate the ROM syncs at (esptool never syncs above it). */
const SYNC_BAUD = 115200;

/** How long a port that went away is waited for by default, seconds. */
export const DEFAULT_RECONNECT_WAIT_S = 5;

/**
 * The port to use (one board: more than one `--port` is refused; `auto` is the only ESP-like
 * port found).
 *
 * @param ctx the command context
 * @returns a port path or URL
 */
export async function resolvePort(ctx: CommandContext): Promise<string> {
  checkOnePort(ctx);
  const port = await choose(ctx);
  const note = untestedPlatformNote(port, Deno.build.os);
  if (note !== undefined) ctx.out.note(note, "port/untested-platform");
  return port;
}

async function choose(ctx: CommandContext): Promise<string> {
  const given = ctx.global.port;
  if (given !== undefined && given !== "" && given.toLowerCase() !== "auto") return given;
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
    baud: g.baud ?? "auto",
    // what one board's link showed (a rate that failed, a stub left running) serves the next
    // job on the same port in this run
    memory: new LinkMemory(),
    signal: ctx.signal,
  };
  if (g.before !== undefined) options.before = parseBefore(g.before);
  if (g.connectAttempts !== undefined) options.attempts = g.connectAttempts;
  if (g.trace) options.onTrace = (e) => ctx.out.stderr(traceLine(e) + "\n");
  return options;
}

/**
 * How the job recovers from faults: `--retries`, and (with `--reconnect-wait` above 0, on a
 * port that can come back) a way to reopen the port by the same name.
 *
 * @param ctx the command context
 * @param transport the transport {@link withTransport} opened
 * @returns options for flash() and Recovery
 */
export function recoveryOptions(ctx: CommandContext, transport: Transport): RecoveryOptions {
  return {
    retries: ctx.global.retries ?? DEFAULT_RETRIES,
    ...(transport instanceof ReopenableTransport ? { reopen: transport.reopen } : {}),
  };
}

/**
 * Opens the board's transport at the sync rate, runs `fn`, closes it. With `--reconnect-wait`
 * above 0 the transport can be opened again by name ({@link recoveryOptions}).
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
  const options = {
    baudRate: baud,
    signal: ctx.signal,
    onEvent: renderTransportEvents(ctx.out),
    // the `port/not-found` hint lists what discovery finds, from the same roots
    listPortPaths: async () => (await listPorts(portListOptions(ctx.env))).map((p) => p.path),
  };
  // an in-process simulated board cannot come back: a new sim:// is a new board
  const waitMs = (ctx.global.reconnectWait ?? DEFAULT_RECONNECT_WAIT_S) * 1000;
  const transport = waitMs > 0 && !/^sim:/i.test(port)
    ? await openReopenable(port, { ...options, waitMs })
    : await openTransport(port, options);
  // Ctrl-C stops whatever waits on the port (the flasher also stops on the signal itself)
  const stop = () => void transport.close();
  ctx.signal.addEventListener("abort", stop, { once: true });
  try {
    return await fn(transport, port);
  } finally {
    ctx.signal.removeEventListener("abort", stop);
    await transport.close();
  }
}
