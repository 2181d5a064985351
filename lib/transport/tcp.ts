/**
 * `socket://host:port`: raw bytes over TCP (a serial-to-TCP bridge without RFC 2217, e.g.
 * ser2net's `tcp` accepter or `socat`). There are no modem lines (`info.modemLines` is `false`,
 * `setSignals` does nothing) and no baud rate travels: `setBaudRate` only records it. `drain`
 * resolves once the bytes were handed to the socket.
 *
 * @module
 */

import { checkBaudRate } from "./check_baud_rate.ts";
import { connectSocket } from "./connect_socket.ts";
import { Inbox } from "./inbox.ts";
import { SocketPump } from "./socket_pump.ts";
import type { OpenOptions, Signals, Transport, TransportInfo } from "./types.ts";

/**
 * A raw TCP transport.
 *
 * @example
 * ```ts
 * import { openTcp } from "./tcp.ts";
 * import assert from "node:assert/strict";
 * const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const peer = server.accept();
 * const t = await openTcp("127.0.0.1", server.addr.port);
 * const conn = await peer;
 * await conn.write(new Uint8Array([7]));
 * assert.deepEqual((await t.readable.getReader().read()).value, new Uint8Array([7]));
 * await t.close();
 * conn.close();
 * server.close();
 * ```
 */
export class TcpTransport implements Transport {
  readonly info: TransportInfo;
  #inbox = new Inbox();
  #baud: number;
  #socket: SocketPump;

  /**
   * Wraps an open connection or handle; use the module's `open...` function instead.
   *
   * @param conn the connection
   * @param url the URL, for `info`
   * @param baud the recorded baud rate
   */
  constructor(conn: Deno.TcpConn, url: string, baud: number) {
    this.info = { url, kind: "tcp", modemLines: false };
    this.#baud = baud;
    this.#socket = new SocketPump(conn, {
      url,
      onData: (bytes) => this.#inbox.push(bytes),
      onGone: (error) => this.#inbox.end(error),
    });
  }

  /** Bytes from the device. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#inbox.readable;
  }

  /** The baud rate last recorded. */
  get baudRate(): number {
    return this.#baud;
  }

  /** Sends bytes. @param bytes what to send */
  write(bytes: Uint8Array): Promise<void> {
    return this.#socket.write(bytes.slice());
  }

  /** Does nothing: raw TCP has no modem lines. @param _signals ignored */
  setSignals(_signals: Signals): Promise<void> {
    return Promise.resolve();
  }

  /** Records the rate; nothing travels. @param baud the rate */
  setBaudRate(baud: number): Promise<void> {
    this.#baud = checkBaudRate(baud);
    return Promise.resolve();
  }

  /** Resolves when earlier writes reached the socket. */
  drain(): Promise<void> {
    return this.#socket.drain();
  }

  /** Drops bytes received and not read. */
  discardInput(): Promise<void> {
    this.#inbox.discard();
    return Promise.resolve();
  }

  /** Ends pending reads and closes the connection. */
  close(): Promise<void> {
    this.#inbox.end();
    return this.#socket.close();
  }
}

/**
 * Opens `socket://host:port`.
 *
 * @param host name or address
 * @param port TCP port
 * @param options the recorded baud rate, an abort signal and the URL for `info`
 * @returns the transport
 *
 * @example
 * ```ts
 * import { openTcp } from "./tcp.ts";
 * import assert from "node:assert/strict";
 * const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const t = await openTcp("127.0.0.1", server.addr.port, { baudRate: 74880 });
 * assert.equal(t.info.modemLines, false);
 * assert.equal(t.baudRate, 74880);
 * await t.close();
 * server.close();
 * ```
 */
export async function openTcp(
  host: string,
  port: number,
  options: OpenOptions & { url?: string } = {},
): Promise<Transport> {
  const baud = checkBaudRate(options.baudRate ?? 115200);
  const url = options.url ?? `socket://${host}:${port}`;
  const conn = await connectSocket(host, port, {
    url,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const transport = new TcpTransport(conn, url, baud);
  options.signal?.addEventListener("abort", () => void transport.close(), { once: true });
  return transport;
}
