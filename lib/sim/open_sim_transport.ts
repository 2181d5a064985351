/**
 * The `sim://` port opener: every call creates a new simulated board (see sim_url.ts for the
 * keys) and returns a transport connected to it; closing the transport closes the board and
 * saves its backing file. mod.ts registers it for the `sim:` scheme.
 *
 * @module
 */

import type { Transport } from "../transport/types.ts";
import { wrapTransport } from "../transport/wrap_transport.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { connectSimLink } from "./sim_link.ts";
import { parseSimUrl } from "./sim_url.ts";

/** A transport to a simulated board, with the board for inspection. */
export interface SimTransport extends Transport {
  /** The board behind the port. */
  readonly board: SimBoard;
}

/** Options for {@link openSimTransport}. */
export interface OpenSimOptions {
  /** Initial baud rate, 115200 by default. */
  baudRate?: number;
  /** Extra board options (hooks, clock) on top of what the URL says. */
  board?: BoardOptions;
}

/**
 * Opens `sim://…`.
 *
 * @param url the port URL
 * @param options baud rate and extra board options
 * @returns the transport
 * @throws a user error `sim/url` for a bad URL, or one of the board's option errors
 *
 * @example
 * ```ts
 * import { openSimTransport } from "./open_sim_transport.ts";
 * import assert from "node:assert/strict";
 * const port = await openSimTransport("sim://?flash-size=1MB&boot=download");
 * assert.equal(port.board.flash.size, 1024 * 1024);
 * assert.equal(port.board.state, "download");
 * await port.close();
 * ```
 */
export function openSimTransport(url: string, options: OpenSimOptions = {}): Promise<SimTransport> {
  try {
    const board = new SimBoard({ ...parseSimUrl(url), ...options.board });
    const link = connectSimLink(board, {
      url,
      ...(options.baudRate === undefined ? {} : { baudRate: options.baudRate }),
    });
    const transport: SimTransport = wrapTransport(link.transport, {
      board,
      close: async () => {
        await link.transport.close();
        await board.close();
      },
    });
    return Promise.resolve(transport);
  } catch (error) {
    return Promise.reject(error);
  }
}
