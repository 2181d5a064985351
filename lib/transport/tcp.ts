/**
 * `socket://host:port`: raw bytes over TCP (a serial-to-TCP bridge without RFC 2217, e.g.
 * ser2net's `tcp` accepter or `socat`). There are no modem lines (`info.modemLines` is `false`,
 * `setSignals` does nothing) and no baud rate travels: `setBaudRate` only records it. `drain`
 * resolves once the bytes were handed to the socket.
 *
 * @module
 */

import type { NodeflashError } from "../errors.ts";
import { checkBaudRate } from "./check_baud_rate.ts";
import { connectSocket } from "./connect_socket.ts";
import { Inbox } from "./inbox.ts";
import type { OpenOptions, Signals, Transport, TransportInfo } from "./types.ts";
import { portClosed, portDisconnected } from "./port_errors.ts";

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
  #conn: Deno.TcpConn;
  #inbox = new Inbox();
  #baud: number;
  #closing = false;
  #closed: Promise<void> | undefined;
  #gone: NodeflashError | undefined;
  #pump: Promise<void>;
  #writes: Promise<void> = Promise.resolve();

  /**
   * Wraps an open connection or handle; use the module's `open...` function instead.
   *
   * @param conn the connection
   * @param url the URL, for `info`
   * @param baud the recorded baud rate
   */
  constructor(conn: Deno.TcpConn, url: string, baud: number) {
    this.#conn = conn;
    this.info = { url, kind: "tcp", modemLines: false };
    this.#baud = baud;
    this.#pump = this.#readLoop();
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(65536);
    while (!this.#closing) {
      let n: number | null;
      try {
        n = await this.#conn.read(buf);
      } catch (e) {
        if (!this.#closing) this.#vanish(`the connection failed: ${(e as Error).message}`);
        return;
      }
      if (n === null) {
        if (!this.#closing) this.#vanish("the server closed the connection");
        return;
      }
      this.#inbox.push(buf.subarray(0, n));
    }
  }

  #vanish(reason: string): NodeflashError {
    this.#gone ??= portDisconnected(this.info.url, reason);
    this.#inbox.end(this.#gone);
    return this.#gone;
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
    const copy = bytes.slice();
    const run = this.#writes.then(async () => {
      if (this.#gone) throw this.#gone;
      if (this.#closing) throw portClosed(this.info.url);
      try {
        let offset = 0;
        while (offset < copy.length) offset += await this.#conn.write(copy.subarray(offset));
      } catch (e) {
        if (this.#closing) throw portClosed(this.info.url);
        throw this.#vanish(`the connection failed: ${(e as Error).message}`);
      }
    });
    this.#writes = run.catch(() => {});
    return run;
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
  async drain(): Promise<void> {
    await this.#writes;
  }

  /** Drops bytes received and not read. */
  discardInput(): Promise<void> {
    this.#inbox.discard();
    return Promise.resolve();
  }

  /** Ends pending reads and closes the connection. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      this.#inbox.end();
      await this.#writes;
      try {
        this.#conn.close();
      } catch {
        // already closed by the peer
      }
      await this.#pump;
    })();
    return this.#closed;
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
