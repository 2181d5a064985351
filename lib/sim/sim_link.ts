/**
 * An in-process connection to a simulated board: a memory link (lib/transport/memory.ts) whose
 * device side is the board. Unit tests and `sim://` ports use it.
 *
 * @module
 */

import { createMemoryLink, type MemoryLink } from "../transport/memory.ts";
import type { SimBoard } from "./board.ts";

/** Options for {@link connectSimLink}. */
export interface SimLinkOptions {
  /** URL reported by the transport, `sim://` by default. */
  url?: string;
  /** Initial host baud rate, 115200 by default. */
  baudRate?: number;
}

/**
 * Connects a memory link to a board (the board's output goes to this link until the host closes
 * it or another host attaches).
 *
 * @param board the board
 * @param options URL and baud rate
 * @returns the link; `link.transport` is the host's end
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { connectSimLink } from "./sim_link.ts";
 * import assert from "node:assert/strict";
 * const board = new SimBoard();
 * const link = connectSimLink(board);
 * assert.equal(link.transport.info.kind, "sim");
 * await link.transport.close();
 * await board.close();
 * ```
 */
export function connectSimLink(board: SimBoard, options: SimLinkOptions = {}): MemoryLink {
  const url = options.url ?? "sim://";
  const link = createMemoryLink({
    receive: (bytes, hostBaud) => board.receive(bytes, hostBaud),
    setSignals: (signals) => board.setSignals(signals),
    setBaudRate: (baud) => board.setBaudRate(baud),
    hostClosed: () => board.detachHost(),
  }, { url, kind: "sim", modemLines: true, baudRate: options.baudRate ?? 115200 });
  board.setBaudRate(link.transport.baudRate);
  board.attachHost((bytes) => link.deliver(bytes), url);
  // A `disconnect` fault: the port vanishes as a USB device that went away.
  const off = board.onHangUp(() => {
    off();
    link.hangUp();
  });
  return link;
}
