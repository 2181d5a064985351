/**
 * An in-process link: a {@link Transport} whose other end is a JavaScript object (a simulated
 * board, or a scripted peer in a unit test).
 *
 * @module
 */

import { deviceError } from "../errors.ts";
import { Inbox } from "./inbox.ts";
import type { Signals, Transport, TransportInfo } from "./types.ts";

/** The device side of a memory link: what the host does arrives here. */
export interface LinkPeer {
  /** Bytes the host wrote, at the host's current baud rate. */
  receive(bytes: Uint8Array, hostBaud: number): void;
  /** The host changed DTR/RTS. */
  setSignals?(signals: Signals): void;
  /** The host changed its baud rate. */
  setBaudRate?(baud: number): void;
  /** The host closed the link. */
  hostClosed?(): void;
}

/** Options for {@link createMemoryLink}. */
export interface MemoryLinkOptions {
  /** Initial host baud rate, 115200 by default. */
  baudRate?: number;
  /** URL reported in `info.url`, `memory:` by default. */
  url?: string;
  /** `info.kind`, `"memory"` by default (the simulator's `sim://` ports say `"sim"`). */
  kind?: "memory" | "sim";
  /** Whether the link carries DTR/RTS (true by default). */
  modemLines?: boolean;
}

/** Both ends of a memory link. */
export interface MemoryLink {
  /** The host's end, used by the flasher. */
  transport: Transport;
  /** Sends bytes from the device to the host. */
  deliver(bytes: Uint8Array): void;
  /** The device vanished: pending and later reads and writes fail with `port/disconnected`. */
  hangUp(): void;
  /** Current host-side line states. */
  readonly signals: Signals;
  /** Whether the host closed its end. */
  readonly closed: boolean;
}

/**
 * Creates a memory link to `peer`.
 *
 * @param peer the device side
 * @param options baud rate, URL, modem lines
 * @returns the host transport and the device's handles
 *
 * @example
 * ```ts
 * import { createMemoryLink } from "./memory.ts";
 * import assert from "node:assert/strict";
 * const received: number[] = [];
 * const link = createMemoryLink({ receive: (b) => received.push(...b) });
 * await link.transport.write(new Uint8Array([1, 2]));
 * link.deliver(new Uint8Array([3]));
 * const reader = link.transport.readable.getReader();
 * assert.deepEqual((await reader.read()).value, new Uint8Array([3]));
 * assert.deepEqual(received, [1, 2]);
 * await link.transport.close();
 * ```
 */
export function createMemoryLink(peer: LinkPeer, options: MemoryLinkOptions = {}): MemoryLink {
  const inbox = new Inbox();
  let baud = options.baudRate ?? 115200;
  let signals: Signals = { dtr: false, rts: false };
  let closed = false;
  let vanished = false;
  const info: TransportInfo = {
    url: options.url ?? "memory:",
    kind: options.kind ?? "memory",
    modemLines: options.modemLines ?? true,
  };
  const gone = () =>
    deviceError("port/disconnected", `The device on ${info.url} went away`, "Check the cable.");
  const transport: Transport = {
    info,
    readable: inbox.readable,
    get baudRate() {
      return baud;
    },
    write(bytes) {
      if (vanished) return Promise.reject(gone());
      if (closed) return Promise.reject(deviceError("port/closed", `${info.url} is closed`));
      peer.receive(bytes.slice(), baud);
      return Promise.resolve();
    },
    setSignals(next) {
      if (vanished) return Promise.reject(gone());
      signals = { dtr: next.dtr, rts: next.rts };
      if (info.modemLines) peer.setSignals?.(signals);
      return Promise.resolve();
    },
    setBaudRate(next) {
      if (vanished) return Promise.reject(gone());
      baud = next;
      peer.setBaudRate?.(next);
      return Promise.resolve();
    },
    drain() {
      return Promise.resolve();
    },
    discardInput() {
      inbox.discard();
      return Promise.resolve();
    },
    close() {
      if (!closed) {
        closed = true;
        inbox.end();
        peer.hostClosed?.();
      }
      return Promise.resolve();
    },
  };
  return {
    transport,
    deliver(bytes) {
      if (!closed) inbox.push(bytes);
    },
    hangUp() {
      vanished = true;
      inbox.end(gone());
    },
    get signals() {
      return signals;
    },
    get closed() {
      return closed;
    },
  };
}
