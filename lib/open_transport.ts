/**
 * The package's `openTransport`: the transport layer's (serial devices, `rfc2217://`,
 * `socket://`, and the schemes a caller passes) plus `sim://`, the simulated ESP8266, which is
 * imported only when a `sim://` port is opened. Part of the `.` entry point; the transport layer
 * itself never imports the simulator.
 *
 * @module
 */

import {
  openTransport as openTransportUrl,
  type OpenTransportOptions,
  type TransportOpener,
} from "./transport/open.ts";
import type { Transport } from "./transport/types.ts";

/** Opens `sim://` ports: loads the simulator, then opens a board. */
const openSimPort: TransportOpener = async (url, options) => {
  const { openSimTransport } = await import("./sim/mod.ts");
  return await openSimTransport(
    url,
    options.baudRate === undefined ? {} : { baudRate: options.baudRate },
  );
};

/**
 * Opens a port: a serial device (`/dev/ttyUSB0`, `COM3`), `rfc2217://host:port` (ser2net, remote
 * boards), `socket://host:port` (raw TCP), `sim://[?options]` (a simulated board in this
 * process), or a scheme of your own in `options.schemes`.
 *
 * @param url the port, as `--port` takes it
 * @param options baud rate, events, locking, RFC 2217 timeouts, abort signal, further schemes
 * @returns the open transport; close it when done
 * @throws a user error for a malformed or unknown port string; the adapter's error when the port
 *   cannot be opened (`port/busy`, `port/not-found`, `port/unreachable`...)
 *
 * @example
 * ```ts
 * import { openTransport } from "./open_transport.ts";
 * import assert from "node:assert/strict";
 * const port = await openTransport("sim://?flash-size=1MB", { baudRate: 115200 });
 * assert.equal(port.info.kind, "sim");
 * await port.close();
 * await assert.rejects(openTransport("gopher://x"), { code: "transport/unknown-scheme" });
 * ```
 */
export function openTransport(url: string, options: OpenTransportOptions = {}): Promise<Transport> {
  return openTransportUrl(url, { ...options, schemes: { sim: openSimPort, ...options.schemes } });
}
