/**
 * Opens the TCP connection under `socket://` and `rfc2217://`, turning failures into errors a
 * user can act on.
 *
 * @module
 */

import { deviceError, userError } from "../errors.ts";

/**
 * Connects to `host:port` with Nagle's algorithm off (small protocol packets go out at once).
 *
 * @param host name or address
 * @param port TCP port
 * @param options the URL to name in errors; an abort signal
 * @returns the connection
 *
 * @example
 * ```ts
 * import { connectSocket } from "./connect_socket.ts";
 * import assert from "node:assert/strict";
 * const server = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const accepted = server.accept();
 * const conn = await connectSocket("127.0.0.1", server.addr.port, { url: "socket://test" });
 * (await accepted).close();
 * conn.close();
 * server.close();
 * await assert.rejects(connectSocket("127.0.0.1", server.addr.port, { url: "x" }), { code: "port/unreachable" });
 * ```
 */
export async function connectSocket(
  host: string,
  port: number,
  options: { url: string; signal?: AbortSignal },
): Promise<Deno.TcpConn> {
  try {
    const conn = await Deno.connect({
      hostname: host,
      port,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    conn.setNoDelay(true);
    return conn;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      throw userError(
        "port/needs-net",
        `Connecting to ${host}:${port} needs network permission`,
        "Run with --allow-net (or -A).",
        { cause: e },
      );
    }
    const refused = e instanceof Deno.errors.ConnectionRefused;
    throw deviceError(
      "port/unreachable",
      refused
        ? `Nothing accepts connections on ${host}:${port} (${options.url})`
        : `Cannot connect to ${host}:${port} (${options.url}): ${(e as Error).message}`,
      "Check that the server (ser2net, nodeflash sim --rfc2217) runs there, listens on that " +
        "port and that no firewall is in the way.",
      { cause: e },
    );
  }
}
