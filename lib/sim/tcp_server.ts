/**
 * The raw TCP endpoint (`socket://HOST:PORT`): bytes pass unchanged both ways. There are no
 * modem lines and no baud rate on a raw socket, so the board never sees a reset from here and
 * every host rate counts as matching. One client at a time; the board keeps running between
 * clients.
 *
 * @module
 */

import type { SimBoard } from "./board.ts";
import { type SocketServer, startSocketServer, writeAll } from "./socket_server.ts";

/** Options for {@link startTcpServer}. */
export interface TcpServerOptions {
  /** Interface, 127.0.0.1 by default. */
  host?: string;
  /** Port, 0 (a free one) by default. */
  port?: number;
}

/**
 * Serves a board over raw TCP.
 *
 * @param board the board
 * @param options address
 * @returns the listener
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { startTcpServer } from "./tcp_server.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard();
 * const server = startTcpServer(board);
 * assert.ok(server.port > 0);
 * await server.close();
 * await board.close();
 * ```
 */
export function startTcpServer(board: SimBoard, options: TcpServerOptions = {}): SocketServer {
  return startSocketServer({ ...options, onClient: (conn) => serveClient(board, conn) });
}

async function serveClient(board: SimBoard, conn: Deno.TcpConn): Promise<void> {
  // The cable is out (an `unplug` fault): like ser2net whose device cannot be opened, the
  // connection is accepted and closed at once.
  if (board.unplugged) return;
  let chain = Promise.resolve();
  const remote = conn.remoteAddr as Deno.NetAddr;
  board.setBaudRate(undefined);
  board.attachHost((bytes) => {
    const copy = bytes.slice();
    chain = chain.then(() => writeAll(conn, copy)).catch(() => {});
  }, `tcp client ${remote.hostname}:${remote.port}`);
  // A `disconnect` fault drops the connection, as a USB device that went away.
  const off = board.onHangUp(() => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  });
  try {
    for await (const chunk of conn.readable) board.receive(chunk);
  } finally {
    off();
    board.detachHost();
    await chain;
  }
}
