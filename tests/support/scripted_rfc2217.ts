/**
 * A scripted NodeMCU board (lib/smoke/testing: bit-level UART, NodeMCU's reset circuit and echo
 * rules, a fengari Lua REPL) behind an RFC 2217 server built from the simulator's own session
 * code, so another process reaches it with DTR/RTS and baud changes: an `rfc2217://` port for
 * `nodeflash monitor` until the simulator has its own NodeMCU console.
 */

import { Rfc2217Session } from "../../lib/sim/rfc2217_session.ts";
import { type SocketServer, startSocketServer, writeAll } from "../../lib/sim/socket_server.ts";
import type { ScriptedBoard } from "../../lib/smoke/testing/scripted_board.ts";

/** A running server. */
export interface ScriptedBoardServer {
  /** `rfc2217://127.0.0.1:PORT`. */
  url: string;
  /** Stops listening and disconnects the client. */
  close(): Promise<void>;
}

/**
 * Serves a board over RFC 2217, one client at a time.
 *
 * @param board the board (its `attach` is taken over)
 * @returns the server
 */
export function serveScriptedBoard(board: ScriptedBoard): ScriptedBoardServer {
  const server: SocketServer = startSocketServer({
    onClient: async (conn) => {
      let hostBaud = 115200;
      let chain = Promise.resolve();
      const send = (bytes: Uint8Array) => {
        chain = chain.then(() => writeAll(conn, bytes)).catch(() => {});
      };
      const session = new Rfc2217Session({
        data: (bytes) => board.receive(bytes, hostBaud),
        setBaudRate: (baud) => {
          hostBaud = baud;
          board.setBaudRate(baud);
        },
        setSignals: (signals) => board.setSignals(signals),
        purge: () => {},
      }, send);
      board.attach((bytes) => send(session.escape(bytes)));
      session.start();
      try {
        for await (const chunk of conn.readable) session.receive(chunk);
      } finally {
        board.attach(() => {});
        await chain;
      }
    },
  });
  return {
    url: `rfc2217://${server.hostname}:${server.port}`,
    close: () => server.close(),
  };
}
