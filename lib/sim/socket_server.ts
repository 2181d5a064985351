/**
 * The TCP side shared by the RFC 2217 and raw TCP endpoints: listen, serve one client at a
 * time (a second one is turned away while the first is connected, as a serial port can only be
 * open once; a newcomer waits a moment for a previous client that just closed), any number of clients one after another, and close without leaving sockets or
 * pending promises behind.
 *
 * @module
 */

/** How long a newcomer waits for the previous client's close to be noticed. */
const GRACE_MS = 250;

/** Serves one connection; resolves when the client has gone. */
export type ClientHandler = (conn: Deno.TcpConn) => Promise<void>;

/** Options for {@link startSocketServer}. */
export interface SocketServerOptions {
  /** Interface to listen on; 127.0.0.1 by default. */
  host?: string;
  /** Port; 0 (a free one) by default. */
  port?: number;
  /** Serves each client. */
  onClient: ClientHandler;
}

/** A running listener. */
export interface SocketServer {
  /** The address it listens on. */
  readonly hostname: string;
  /** The port it listens on. */
  readonly port: number;
  /** Clients served so far (including the current one). */
  readonly served: number;
  /** Stops listening, disconnects the client and waits for everything to finish. */
  close(): Promise<void>;
}

/**
 * Starts listening.
 *
 * @param options address and client handler
 * @returns the server
 *
 * @example
 * ```ts
 * import { startSocketServer } from "./socket_server.ts";
 * import assert from "node:assert/strict";
 * const server = startSocketServer({ onClient: async (conn) => { await conn.write(new Uint8Array([42])); } });
 * const conn = await Deno.connect({ hostname: server.hostname, port: server.port });
 * const buf = new Uint8Array(1);
 * assert.equal(await conn.read(buf), 1);
 * conn.close();
 * await server.close();
 * ```
 */
export function startSocketServer(options: SocketServerOptions): SocketServer {
  const listener = Deno.listen({ hostname: options.host ?? "127.0.0.1", port: options.port ?? 0 });
  const addr = listener.addr as Deno.NetAddr;
  let active: Deno.TcpConn | undefined;
  let activeDone: Promise<void> = Promise.resolve();
  let served = 0;
  let closing = false;
  const serve = async (conn: Deno.TcpConn) => {
    try {
      await options.onClient(conn);
    } catch {
      // a client that breaks the connection ends its session, nothing more
    } finally {
      closeQuietly(conn);
      if (active === conn) active = undefined;
    }
  };
  const loop = (async () => {
    for await (const conn of listener) {
      if (closing) {
        closeQuietly(conn);
        continue;
      }
      // One client at a time. A client that has just closed its end may not have been noticed
      // yet when the next one (often the same program, run again) connects: give it a moment.
      if (active !== undefined) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([activeDone, new Promise((r) => timer = setTimeout(r, GRACE_MS))]);
        clearTimeout(timer);
      }
      if (active !== undefined) {
        closeQuietly(conn);
        continue;
      }
      conn.setNoDelay(true);
      active = conn;
      served++;
      activeDone = serve(conn);
    }
  })().catch(() => {});
  return {
    hostname: addr.hostname,
    port: addr.port,
    get served() {
      return served;
    },
    async close() {
      if (closing) return;
      closing = true;
      listener.close();
      await loop;
      if (active !== undefined) closeQuietly(active);
      await activeDone;
    },
  };
}

/**
 * Writes all bytes to a connection.
 *
 * @param conn the connection
 * @param bytes what to write
 *
 * @example
 * ```ts
 * import { writeAll } from "./socket_server.ts";
 * if (typeof writeAll !== "function") throw new Error();
 * ```
 */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let o = 0; o < bytes.length;) o += await conn.write(bytes.subarray(o));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
