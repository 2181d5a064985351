/**
 * `rfc2217://host:port`: a serial port on another machine through an RFC 2217 server (ser2net,
 * `nodeflash sim --rfc2217`, esptool's `esp_rfc2217_server`). Written to the RFC, not to one
 * server.
 *
 * - Telnet: we offer BINARY, SGA and COM-PORT-OPTION (`WILL 44`) and ask for BINARY and SGA;
 *   anything else the server proposes is refused. 0xFF is escaped as IAC IAC both ways.
 * - Line: SET-BAUDRATE, SET-DATASIZE 8, SET-PARITY NONE, SET-STOPSIZE 1 at open; SET-BAUDRATE
 *   on `setBaudRate`; SET-CONTROL DTR ON/OFF (8/9) and RTS ON/OFF (11/12) on `setSignals`;
 *   PURGE-DATA (receive buffer) on `discardInput`, which also drops everything that arrived
 *   before the server's acknowledgement. Bytes already inside the server's own pipeline may
 *   still come after the acknowledgement (the RFC does not order them; seen with ser2net), so
 *   over a network the purge is best effort.
 * - Acknowledgements (command + 100) are awaited **per option with a timeout** (1 s by default,
 *   `?ack_timeout=ms`). A missing acknowledgement is reported (`ack-timeout` event) and the
 *   client carries on. SET-CONTROL is special: ser2net on a device without modem lines (a pty)
 *   never acknowledges it, so after the first SET-CONTROL timeout the client stops waiting for
 *   SET-CONTROL acknowledgements, sets `info.modemLines = false` and reports `no-modem-lines`
 *   once; later `setSignals` calls still send the commands but return at once. This is pyserial's
 *   `ign_set_control`, decided automatically; `?ign_set_control` skips the waiting from the start
 *   (and keeps `modemLines` true).
 * - Server notifications: NOTIFY-LINESTATE / NOTIFY-MODEMSTATE are recorded
 *   ({@link Rfc2217Transport.modemState}); FLOWCONTROL-SUSPEND pauses writes until RESUME;
 *   a SIGNATURE request is answered with `nodeflash`.
 * - `drain` resolves when our bytes reached the socket: RFC 2217 cannot tell when the server's
 *   UART sent them.
 *
 * @module
 */

import { userError } from "../errors.ts";
import { checkBaudRate } from "./check_baud_rate.ts";
import { connectSocket } from "./connect_socket.ts";
import { type Rfc2217Options, Rfc2217Transport } from "./rfc2217_transport.ts";
import type { Transport } from "./types.ts";

export type { Rfc2217Options };

/**
 * Reads the options in an `rfc2217://` URL's query: `ign_set_control` and `ack_timeout=<ms>`.
 *
 * @param params the query parameters
 * @param url the URL, for messages
 * @returns the options they set
 *
 * @example
 * ```ts
 * import { rfc2217UrlOptions } from "./rfc2217.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(rfc2217UrlOptions({ ign_set_control: "", ack_timeout: "200" }, "x"), {
 *   controlAcks: "ignore", ackTimeoutMs: 200,
 * });
 * assert.throws(() => rfc2217UrlOptions({ bogus: "1" }, "x"), { code: "transport/bad-url" });
 * ```
 */
export function rfc2217UrlOptions(
  params: Record<string, string>,
  url: string,
): Pick<Rfc2217Options, "controlAcks" | "ackTimeoutMs"> {
  const out: Pick<Rfc2217Options, "controlAcks" | "ackTimeoutMs"> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === "ign_set_control") out.controlAcks = "ignore";
    else if (key === "ack_timeout" && /^\d+$/.test(value) && Number(value) > 0) {
      out.ackTimeoutMs = Number(value);
    } else {
      throw userError(
        "transport/bad-url",
        `Cannot use "${url}": unknown or invalid option "${key}${value ? "=" + value : ""}"`,
        "rfc2217:// accepts ?ign_set_control and ?ack_timeout=<milliseconds>.",
      );
    }
  }
  return out;
}

/**
 * Connects to an RFC 2217 server and sets the line up.
 *
 * @param host name or address
 * @param port TCP port
 * @param options baud rate (115200), ack timeout, events, abort signal
 * @returns the transport
 *
 * @example
 * ```ts
 * import { openRfc2217 } from "./rfc2217.ts";
 * import assert from "node:assert/strict";
 * const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * closed.close();
 * await assert.rejects(openRfc2217("127.0.0.1", closed.addr.port), { code: "port/unreachable" });
 * ```
 */
export async function openRfc2217(
  host: string,
  port: number,
  options: Rfc2217Options = {},
): Promise<Transport> {
  const baudRate = checkBaudRate(options.baudRate ?? 115200);
  const url = options.url ?? `rfc2217://${host}:${port}`;
  const conn = await connectSocket(host, port, {
    url,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const transport = new Rfc2217Transport(conn, { ...options, url, baudRate });
  try {
    await transport.start();
  } catch (e) {
    await transport.close();
    throw e;
  }
  options.signal?.addEventListener("abort", () => void transport.close(), { once: true });
  return transport;
}
