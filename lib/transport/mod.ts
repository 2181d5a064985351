/**
 * Transports (`@x/nodeflash/transport`): the narrow interface every port implements (byte streams,
 * DTR/RTS, baud rate, drain, close), reading port strings, finding the serial ports of this
 * machine, and an in-memory link for tests and custom devices. Ports are opened with the package
 * root's `openTransport` (serial devices, RFC 2217, raw TCP, `sim://`, and schemes you pass as
 * {@link TransportOpener}s).
 *
 * @example A memory link
 * ```ts
 * import { createMemoryLink } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const link = createMemoryLink({ receive() {} }, { url: "memory:doc" });
 * assert.equal(link.transport.info.kind, "memory");
 * await link.transport.close();
 * ```
 *
 * @module
 */

export type { OpenOptions, Signals, Transport, TransportInfo, UsbInfo } from "./types.ts";
export {
  createMemoryLink,
  type LinkPeer,
  type MemoryLink,
  type MemoryLinkOptions,
} from "./memory.ts";
export type { OpenTransportOptions, TransportOpener } from "./open.ts";
export { parseTransportUrl, type TransportTarget } from "./transport_url.ts";
export { type TransportOverrides, wrapTransport } from "./wrap_transport.ts";
export { listPorts, type ListPortsOptions, type PortInfo } from "./serial/list.ts";
export { choosePort } from "./serial/choose_port.ts";
export type { TransportEvent, TransportEventListener } from "./transport_event.ts";
export type { Rfc2217Options } from "./rfc2217.ts";
export type { PosixPortOptions } from "./serial/posix_port.ts";
