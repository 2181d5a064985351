/**
 * Transports (`@x/nodeflash/transport`): the narrow interface every port implements (byte streams,
 * DTR/RTS, baud rate, drain, close), opening one from a port string (serial devices, RFC 2217,
 * raw TCP, schemes you pass), finding the serial ports of this machine, and an in-memory link for
 * tests and custom devices.
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
export {
  openTransport,
  type OpenTransportOptions,
  registerTransportScheme,
  type TransportOpener,
  TransportRegistry,
} from "./open.ts";
export { parseTransportUrl, type TransportTarget } from "./transport_url.ts";
export { listPorts, type ListPortsOptions, type PortInfo } from "./serial/list.ts";
export { choosePort } from "./serial/choose_port.ts";
export type { TransportEvent, TransportEventListener } from "./transport_event.ts";
export type { Rfc2217Options } from "./rfc2217.ts";
export type { PosixPortOptions } from "./serial/posix_port.ts";
