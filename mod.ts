/**
 * nodeflash: flash NodeMCU firmware onto ESP8266 boards, from a laptop and from CI.
 *
 * This module is the library API. Run it as a program and it is the command line:
 * `deno run -A jsr:@x/nodeflash flash --port /dev/ttyUSB0 firmware.bin`.
 *
 * @module
 */

export {
  deviceError,
  type ErrorKind,
  isNodeflashError,
  NodeflashError,
  type NodeflashErrorOptions,
  userError,
} from "./lib/errors.ts";
export { VERSION } from "./lib/version.ts";
export { hex32, toHex } from "./lib/bytes/hex.ts";
export type {
  OpenOptions,
  Signals,
  Transport,
  TransportInfo,
  UsbInfo,
} from "./lib/transport/types.ts";
export { createMemoryLink, type LinkPeer, type MemoryLink } from "./lib/transport/memory.ts";
export { Connection, type ConnectionOptions, type TraceEvent } from "./lib/protocol/connection.ts";
export {
  classicReset,
  HARD_RESET,
  parseResetSequence,
  type ResetStep,
  runResetSequence,
  tightReset,
} from "./lib/protocol/reset_sequence.ts";
export { type LoaderKind, Op, type OpName } from "./lib/protocol/opcodes.ts";

if (import.meta.main) {
  const { runCli } = await import("./lib/cli/main.ts");
  await runCli(Deno.args);
}
