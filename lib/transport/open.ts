/**
 * Opens a transport from what the user passes as `--port`:
 *
 * - a device path (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, `/dev/cu.*`, `COM3`) -> the serial
 *   adapter for this OS (FFI, needs `--allow-ffi`),
 * - `rfc2217://host:port[?ign_set_control&ack_timeout=ms]` -> the RFC 2217 client,
 * - `socket://host:port` -> raw TCP,
 * - any other scheme the caller passes an opener for in `schemes` (the package root's
 *   `openTransport` passes `sim`, so that transport/ never imports the simulator).
 *
 * Adapters are loaded with dynamic `import()`, so opening a TCP port never loads FFI code. There
 * is no scheme table kept between calls: what a call can open depends only on its arguments.
 *
 * @module
 */

import { userError } from "../errors.ts";
import type { PosixPortOptions } from "./serial/posix_port.ts";
import type { Rfc2217Options } from "./rfc2217.ts";
import { parseTransportUrl } from "./transport_url.ts";
import type { Transport } from "./types.ts";

/** Options for {@link openTransport}: everything any adapter accepts. */
export interface OpenTransportOptions extends PosixPortOptions {
  /** RFC 2217: how long to wait for each acknowledgement (ms). */
  ackTimeoutMs?: Rfc2217Options["ackTimeoutMs"];
  /** RFC 2217: `"ignore"` never waits for SET-CONTROL acknowledgements. */
  controlAcks?: Rfc2217Options["controlAcks"];
  /**
   * Openers of further schemes, by lower-case scheme without `:` (`{ sim: openSim }`); the
   * built-in `rfc2217` and `socket` cannot be replaced.
   */
  schemes?: Readonly<Record<string, TransportOpener>>;
}

/** Opens a transport for a URL of a scheme given in {@link OpenTransportOptions.schemes}. */
export type TransportOpener = (url: string, options: OpenTransportOptions) => Promise<Transport>;

const BUILT_IN = new Set(["rfc2217", "socket"]);

/** The given openers by scheme, checked. */
function schemeTable(
  given: Readonly<Record<string, TransportOpener>>,
): Map<string, TransportOpener> {
  const table = new Map<string, TransportOpener>();
  for (const [scheme, opener] of Object.entries(given)) {
    const name = scheme.toLowerCase().replace(/:\/*$/, "");
    if (!/^[a-z][a-z0-9+.-]+$/.test(name) || BUILT_IN.has(name)) {
      throw userError(
        "transport/bad-scheme",
        `Cannot open ports of the scheme "${scheme}" with a given opener`,
        "Give a scheme of two or more letters other than rfc2217 and socket.",
      );
    }
    table.set(name, opener);
  }
  return table;
}

/**
 * Opens a transport from a port string (see the module doc for the forms).
 *
 * @param url `--port`'s value
 * @param options baud rate, events, locking, RFC 2217 timeouts, abort signal, further schemes
 * @returns the open transport
 * @throws a user error `transport/bad-url`, `transport/unknown-scheme` or `transport/bad-scheme`;
 *   the adapter's errors when the port cannot be opened
 *
 * @example
 * ```ts
 * import { openTransport } from "./open.ts";
 * import { createMemoryLink } from "./memory.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(openTransport("ttyUSB0"), { code: "transport/bad-url" });
 * await assert.rejects(openTransport("gopher://x"), { code: "transport/unknown-scheme" });
 * const loop = (url: string) => Promise.resolve(createMemoryLink({ receive() {} }, { url }).transport);
 * const t = await openTransport("loop://", { schemes: { loop } });
 * assert.equal(t.info.url, "loop://");
 * await t.close();
 * ```
 */
export async function openTransport(
  url: string,
  options: OpenTransportOptions = {},
): Promise<Transport> {
  const { schemes: given = {}, ...adapterOptions } = options;
  const schemes = schemeTable(given);
  const target = parseTransportUrl(url, { schemes: [...schemes.keys()].sort() });
  switch (target.kind) {
    case "serial": {
      const { openSerial } = await import("./serial/open_serial.ts");
      return await openSerial(target.path, adapterOptions);
    }
    case "tcp": {
      const { openTcp } = await import("./tcp.ts");
      return await openTcp(target.host, target.port, {
        ...baseOptions(options),
        url: target.url,
      });
    }
    case "rfc2217": {
      const { openRfc2217, rfc2217UrlOptions } = await import("./rfc2217.ts");
      return await openRfc2217(target.host, target.port, {
        ...baseOptions(options),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.ackTimeoutMs !== undefined ? { ackTimeoutMs: options.ackTimeoutMs } : {}),
        ...(options.controlAcks !== undefined ? { controlAcks: options.controlAcks } : {}),
        ...rfc2217UrlOptions(target.params, target.url),
        url: target.url,
      });
    }
    case "scheme": {
      const opener = schemes.get(target.scheme);
      if (opener === undefined) {
        const known = ["rfc2217", "socket", ...[...schemes.keys()].sort()].map((s) => `${s}://`)
          .join(", ");
        throw userError(
          "transport/unknown-scheme",
          `Cannot open "${url}": unknown scheme "${target.scheme}:"`,
          `Use a serial device path (/dev/ttyUSB0, COM3) or one of ${known}.`,
        );
      }
      return await opener(url, adapterOptions);
    }
  }
}

function baseOptions(options: OpenTransportOptions): { baudRate?: number; signal?: AbortSignal } {
  return {
    ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
