/**
 * Starts a simulated board behind an endpoint other programs can open:
 *
 * - `rfc2217`: `rfc2217://HOST:PORT` (telnet + RFC 2217: baud rate and DTR/RTS reach the board);
 * - `tcp`: `socket://HOST:PORT` (raw bytes, no lines, no baud);
 * - `pty`: `/dev/pts/N` (Linux; needs `--allow-ffi`; no lines).
 *
 * Port 0 picks a free port. One client at a time, any number one after another; the board keeps
 * its state (flash, what runs, lines) between clients. A board the server creates powers up as
 * a devkit (booting its firmware) behind `rfc2217`, whose DTR/RTS reach the reset circuit, and
 * in ROM download mode behind `tcp` and `pty`, which have no modem lines.
 *
 * @module
 */

import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { startRfc2217Server } from "./rfc2217_server.ts";
import { startTcpServer } from "./tcp_server.ts";

/** Which endpoint. */
export type SimServerKind = "rfc2217" | "tcp" | "pty";

/** Options for {@link startSimServer}. */
export interface SimServerOptions {
  /** The endpoint kind. */
  kind: SimServerKind;
  /** Interface for network endpoints, 127.0.0.1 by default. */
  host?: string;
  /** Port for network endpoints, 0 (a free one) by default. */
  port?: number;
  /** Serve this board (it stays open after the server closes). */
  board?: SimBoard;
  /** Or create a board with these options (closed with the server). */
  boardOptions?: BoardOptions;
  /**
   * `pty` only: a symlink kept pointing at the pty, its stable name (the url), which survives
   * an `unplug` fault as a `/dev/serial/by-id/` link survives re-enumeration.
   */
  ptyLink?: string;
}

/** A running endpoint. */
export interface SimServer {
  /** What clients open: `rfc2217://127.0.0.1:4000`, `socket://…`, `/dev/pts/N`. */
  readonly url: string;
  /** The endpoint kind. */
  readonly kind: SimServerKind;
  /** The board behind it. */
  readonly board: SimBoard;
  /** Stops serving (and closes the board if the server created it). */
  close(): Promise<void>;
}

/**
 * Starts an endpoint.
 *
 * @param options kind, address, board
 * @returns the running server
 *
 * @example
 * ```ts
 * import { startSimServer } from "./sim_server.ts";
 * import assert from "node:assert/strict";
 * const server = await startSimServer({ kind: "tcp", boardOptions: { flashSize: "1MB" } });
 * assert.match(server.url, /^socket:\/\/127\.0\.0\.1:\d+$/);
 * await server.close();
 * ```
 */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const own = options.board === undefined;
  // Without modem lines nothing can reset the board into its loader: these endpoints start it
  // there (as a board powered with GPIO0 held low), unless told otherwise.
  const linesless = options.kind !== "rfc2217";
  const board = options.board ??
    new SimBoard({
      ...(linesless ? { bootMode: "download" as const } : {}),
      ...options.boardOptions,
    });
  const address = {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
  };
  let url: string;
  let stop: () => Promise<void>;
  try {
    if (options.kind === "pty") {
      const { startPtyServer } = await import("./pty_server.ts");
      const pty = startPtyServer(
        board,
        options.ptyLink === undefined ? {} : { link: options.ptyLink },
      );
      url = pty.path;
      stop = () => pty.close();
    } else {
      const server = options.kind === "rfc2217"
        ? startRfc2217Server(board, address)
        : startTcpServer(board, address);
      const host = server.hostname.includes(":") ? `[${server.hostname}]` : server.hostname;
      url = `${options.kind === "rfc2217" ? "rfc2217" : "socket"}://${host}:${server.port}`;
      stop = () => server.close();
    }
  } catch (error) {
    if (own) await board.close();
    throw error;
  }
  let closed = false;
  return {
    url,
    kind: options.kind,
    board,
    async close() {
      if (closed) return;
      closed = true;
      await stop();
      if (own) await board.close();
    },
  };
}
