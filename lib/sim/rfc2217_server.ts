/**
 * The RFC 2217 endpoint (`rfc2217://HOST:PORT`): a telnet server whose COM port is the
 * simulated board. Baud rate changes reach the board's UART (so a host at the wrong rate hears
 * the garbage a real UART would decode), DTR/RTS changes reach the board's reset circuit (EN
 * and GPIO0 on a devkit), data is 0xFF-escaped both ways. PURGE-DATA of the receive buffer (1 or
 * 3) drops what the board sent that the client has not been given yet (data still queued for the
 * socket, and the bytes on their way from the board); the transmit buffer (2) holds nothing, since
 * the client's data goes to the board at once. One client at a time; the board keeps running
 * between clients.
 *
 * @module
 */

import type { SimBoard } from "./board.ts";
import { Rfc2217Session } from "./rfc2217_session.ts";
import { type SocketServer, startSocketServer, writeAll } from "./socket_server.ts";

/** Options for {@link startRfc2217Server}. */
export interface Rfc2217ServerOptions {
  /** Interface, 127.0.0.1 by default. */
  host?: string;
  /** Port, 0 (a free one) by default. */
  port?: number;
}

/**
 * Serves a board over RFC 2217.
 *
 * @param board the board
 * @param options address
 * @returns the listener
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { startRfc2217Server } from "./rfc2217_server.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard();
 * const server = startRfc2217Server(board);
 * assert.ok(server.port > 0);
 * await server.close();
 * await board.close();
 * ```
 */
export function startRfc2217Server(
  board: SimBoard,
  options: Rfc2217ServerOptions = {},
): SocketServer {
  return startSocketServer({
    ...options,
    onClient: (conn) => serveClient(board, conn),
  });
}

async function serveClient(board: SimBoard, conn: Deno.TcpConn): Promise<void> {
  // The cable is out (an `unplug` fault): like ser2net whose device cannot be opened, the
  // connection is accepted and closed at once.
  if (board.unplugged) return;
  let chain = Promise.resolve();
  const send = (bytes: Uint8Array) => {
    chain = chain.then(() => writeAll(conn, bytes)).catch(() => {});
  };
  // Serial data waits in the chain like telnet replies; a purge makes what is queued stale.
  let generation = 0;
  const sendData = (bytes: Uint8Array) => {
    const queuedIn = generation;
    chain = chain.then(() => queuedIn === generation ? writeAll(conn, bytes) : undefined)
      .catch(() => {});
  };
  const session = new Rfc2217Session(
    {
      data: (bytes) => board.receive(bytes),
      setBaudRate: (baud) => board.setBaudRate(baud),
      setSignals: (signals) => board.setSignals(signals),
      purge: (which) => {
        if ((which & 1) === 0) return;
        generation++;
        board.purgeToHost();
      },
    },
    send,
    board.signals,
  );
  const remote = conn.remoteAddr as Deno.NetAddr;
  board.attachHost(
    (bytes) => sendData(session.escape(bytes)),
    `rfc2217 client ${remote.hostname}:${remote.port}`,
  );
  session.start();
  // A `disconnect` fault drops the connection, as a USB device that went away.
  const off = board.onHangUp(() => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  });
  try {
    for await (const chunk of conn.readable) session.receive(chunk);
  } finally {
    off();
    board.detachHost();
    board.setBaudRate(undefined);
    await chain;
  }
}
