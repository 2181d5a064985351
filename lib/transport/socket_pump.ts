/**
 * The socket side shared by the TCP transports (raw `socket://` and RFC 2217): one read loop that
 * hands each chunk to its owner and turns a failed or closed connection into `port/disconnected`
 * once, writes that go out one after another (a write after the end fails with the reason), and a
 * close that waits for pending writes and the read loop.
 *
 * @module
 */

import type { NodeflashError } from "../errors.ts";
import { portClosed, portDisconnected } from "./port_errors.ts";

/** What the pump tells its owner. */
export interface SocketPumpOptions {
  /** The port's URL, for messages. */
  url: string;
  /**
   * Bytes from the server (a view of the pump's buffer: copy what is kept).
   *
   * @param bytes one chunk
   */
  onData(bytes: Uint8Array): void;
  /**
   * The connection failed or the server closed it (not called after {@link SocketPump.close}).
   *
   * @param error `port/disconnected` naming the reason
   */
  onGone(error: NodeflashError): void;
}

/**
 * A connected socket's reads and writes.
 *
 * @example
 * ```ts
 * import { SocketPump } from "./socket_pump.ts";
 * import assert from "node:assert/strict";
 * const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
 * const peer = await server.accept();
 * const got: number[] = [];
 * const gone = Promise.withResolvers<string>();
 * const pump = new SocketPump(conn, {
 *   url: "socket://test",
 *   onData: (b) => got.push(...b),
 *   onGone: (e) => gone.resolve(e.code),
 * });
 * await peer.write(new Uint8Array([1, 2]));
 * peer.close();
 * assert.equal(await gone.promise, "port/disconnected");
 * assert.deepEqual(got, [1, 2]);
 * await assert.rejects(pump.write(new Uint8Array([3])), { code: "port/disconnected" });
 * await pump.close();
 * server.close();
 * ```
 */
export class SocketPump {
  readonly #conn: Deno.TcpConn;
  readonly #options: SocketPumpOptions;
  #closing = false;
  #closed: Promise<void> | undefined;
  #gone: NodeflashError | undefined;
  readonly #reading: Promise<void>;
  #writes: Promise<void> = Promise.resolve();

  /**
   * Starts reading at once.
   *
   * @param conn the connected socket
   * @param options the URL and the owner's callbacks
   */
  constructor(conn: Deno.TcpConn, options: SocketPumpOptions) {
    this.#conn = conn;
    this.#options = options;
    this.#reading = this.#readLoop();
  }

  /** Why the connection is gone, if it is. */
  get gone(): NodeflashError | undefined {
    return this.#gone;
  }

  /** Whether {@link close} was called. */
  get closing(): boolean {
    return this.#closing;
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
      this.#options.onData(buf.subarray(0, n));
    }
  }

  #vanish(reason: string): NodeflashError {
    if (this.#gone === undefined) {
      this.#gone = portDisconnected(this.#options.url, reason);
      this.#options.onGone(this.#gone);
    }
    return this.#gone;
  }

  /**
   * Throws why the socket cannot be used: gone, or closed.
   *
   * @throws `port/disconnected` or `port/closed`
   */
  check(): void {
    if (this.#gone) throw this.#gone;
    if (this.#closing) throw portClosed(this.#options.url);
  }

  /**
   * Sends bytes after the earlier writes.
   *
   * @param bytes what to send (sent as they are when the write's turn comes: pass a copy)
   * @returns resolves once the socket took them
   * @throws `port/disconnected` or `port/closed`
   */
  write(bytes: Uint8Array): Promise<void> {
    const run = this.#writes.then(async () => {
      this.check();
      try {
        let offset = 0;
        while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
      } catch (e) {
        if (this.#closing) throw portClosed(this.#options.url);
        throw this.#vanish(`the connection failed: ${(e as Error).message}`);
      }
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /** Resolves when earlier writes reached the socket. */
  async drain(): Promise<void> {
    await this.#writes;
  }

  /** Stops reading, lets pending writes finish, closes the socket. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      await this.#writes;
      try {
        this.#conn.close();
      } catch {
        // closed by the peer already
      }
      await this.#reading;
    })();
    return this.#closed;
  }
}
