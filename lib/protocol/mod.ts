/**
 * The ESP8266 ROM loader and flasher-stub protocols (`@x/nodeflash/protocol`): the opcode table,
 * requests and responses, the status bytes, a {@link Connection} that sends commands and waits for
 * their replies over any transport, DTR/RTS reset sequences as data, and the chip-level steps a
 * session is made of (identify the chip, upload and start the stub, change the baud rate, MD5 of
 * a flash region). The package root's `openSession` strings them together.
 *
 * @example Parse a reset sequence
 * ```ts
 * import { parseResetSequence } from "./mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseResetSequence("D0|R1|W0.1|D1|R0|W0.05|D0").length, 7);
 * ```
 *
 * @module
 */

export {
  type CommandOptions,
  Connection,
  type ConnectionOptions,
  type PreparedRequest,
  prepareRequest,
  type TraceEvent,
} from "./connection.ts";
export {
  classicReset,
  HARD_RESET,
  parseResetSequence,
  type ResetStep,
  type ResetTarget,
  type RunResetOptions,
  runResetSequence,
  tightReset,
} from "./reset_sequence.ts";
export {
  type LoaderKind,
  Op,
  type OpcodeInfo,
  opcodeInfo,
  OPCODES,
  type OpName,
  opName,
  timeoutFor,
  type TimeoutPolicy,
} from "./opcodes.ts";
export { decodeResponse, encodeRequest, type Request, type Response } from "./packet.ts";
export { decodeStatus, describeStatus, type Status, type StatusText } from "./status.ts";
export { hex32, toHex } from "../bytes/hex.ts";
export { SlipDecoder, type SlipDecoderOptions, slipEncode, type SlipEvent } from "../bytes/slip.ts";
export { identifyChip } from "../chip/detect.ts";
export { loadStub, runStub, type RunStubOptions, type StubImage } from "../chip/stub.ts";
export {
  type ChipVariant,
  chipVariant,
  type ChipVariantName,
  type Efuses,
  formatMac,
  parseMac,
} from "../chip/identity.ts";
export { flashSizeFromJedec, type JedecCapacity, jedecCapacity } from "../chip/jedec.ts";
export { changeBaud, type ChangeBaudOptions } from "../flasher/baud.ts";
export { flashMd5, md5Hex } from "../flasher/md5.ts";

// Types the API above refers to.
export type { FlashSizeName } from "../chip/flash_size.ts";
export type { ChipInfo, RomSession, SessionBase, StubSession } from "../chip/session.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
