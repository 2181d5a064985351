/**
 * nodeflash: flash NodeMCU firmware onto ESP8266 boards, from a laptop and from CI.
 *
 * This entry point is the job: open a port, open a session with the board (sync, identify,
 * upload the flasher stub), flash files (compressed, skipping what already matches, verified by
 * MD5), read, erase, and leave the board running its firmware. Errors are
 * {@link NodeflashError}s with a stable code and a hint.
 *
 * The building blocks have entry points of their own, so an importer loads only what it uses:
 * `@x/nodeflash/image` (parse, inspect, merge and patch images; flash sizes),
 * `@x/nodeflash/protocol` (the ROM and stub protocol: connection, opcodes, reset sequences,
 * chip identification, the stub), `@x/nodeflash/transport` (transports, ports, memory links),
 * `@x/nodeflash/smoke` (did the board boot to the Lua prompt, and why not),
 * `@x/nodeflash/release` (firmware from GitHub releases), `@x/nodeflash/sim` (the simulated
 * ESP8266) and `@x/nodeflash/testing` (firmware builders for tests).
 *
 * Run as a program, it is the command line:
 * `deno run -A jsr:@x/nodeflash flash --port /dev/ttyUSB0 firmware.bin`.
 *
 * @example Flash a simulated board
 * ```ts
 * import { flash, openTransport } from "./mod.ts";
 * import { buildNodemcuFirmware } from "./lib/testing/mod.ts";
 * import assert from "node:assert/strict";
 * const port = await openTransport("sim://", { baudRate: 115200 });
 * try {
 *   const firmware = buildNodemcuFirmware({ totalSize: 0x20000 }).combined;
 *   const result = await flash(port, { files: [{ address: 0, name: "fw.bin", data: firmware }] });
 *   assert.equal(result.regions[0]?.verified, true);
 * } finally {
 *   await port.close();
 * }
 * ```
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
export type { Transport } from "./lib/transport/types.ts";
export { openTransport } from "./lib/open_transport.ts";
export type { OpenTransportOptions, TransportOpener } from "./lib/transport/open.ts";
export { listPorts, type ListPortsOptions, type PortInfo } from "./lib/transport/serial/list.ts";
export type {
  ChipInfo,
  FlashInfo,
  RomSession,
  Session,
  SessionBase,
  StubSession,
} from "./lib/chip/session.ts";
export {
  type BeforeReset,
  connect,
  type ConnectOptions,
  parseBefore,
} from "./lib/flasher/connect.ts";
export {
  DEFAULT_BAUD,
  openSession,
  type OpenSessionOptions,
  type ReadySession,
} from "./lib/flasher/open_session.ts";
export { type AfterReset, leave, parseAfter } from "./lib/flasher/after.ts";
export {
  AUTO_BAUDS,
  type BaudSetting,
  FAST_SYNC_BAUD,
  parseBaudSetting,
} from "./lib/flasher/baud_choice.ts";
export { type LinkFacts, LinkMemory } from "./lib/flasher/link_memory.ts";
export { checkEraseRegion, eraseChip, eraseRegion } from "./lib/flasher/erase.ts";
export { readFlash } from "./lib/flasher/read.ts";
export type { FlashEvent, OnFlashEvent, RecoveryCause } from "./lib/flasher/events.ts";
export {
  DEFAULT_RETRIES,
  type FaultPlace,
  MAX_RESTARTS,
  Recovery,
  type RecoveryOptions,
  type RecoverySessionOptions,
  rootFault,
  stubOf,
} from "./lib/flasher/recovery.ts";
export { matchingPrefix, type MatchingPrefixOptions } from "./lib/flasher/resume.ts";
export { READ_SEGMENT, readRegion } from "./lib/flasher/read_region.ts";
export { resumableEraseChip, resumableEraseRegion } from "./lib/flasher/resumable_erase.ts";
export {
  openReopenable,
  type OpenReopenableOptions,
  type ReopenableOptions,
  ReopenableTransport,
} from "./lib/transport/reopen.ts";
export {
  checkFiles,
  type FlashFile,
  type InitDataChoice,
  type PlannedRegion,
} from "./lib/flasher/plan.ts";
export type { RegionResult } from "./lib/flasher/flash_region.ts";
export { checkFlashJob, flash, type FlashOptions, type FlashResult } from "./lib/flasher/flash.ts";

// Types the API above refers to.
export type { FlashFreq, FlashMode, FlashSizeName } from "./lib/chip/flash_size.ts";
export type { ChipVariantName } from "./lib/chip/identity.ts";
export type {
  FlashParams,
  HeaderPatchResult,
  HeaderPatchSkip,
} from "./lib/image/patch_image_header.ts";
export type { CommandOptions, Connection, TraceEvent } from "./lib/protocol/connection.ts";
export type { LoaderKind } from "./lib/protocol/opcodes.ts";
export type { Request, Response } from "./lib/protocol/packet.ts";
export type { ResetStep } from "./lib/protocol/reset_sequence.ts";
export type { Status } from "./lib/protocol/status.ts";
export type { Rfc2217Options } from "./lib/transport/rfc2217_transport.ts";
export type { PosixPortOptions } from "./lib/transport/serial/posix_port.ts";
export type { TransportEvent, TransportEventListener } from "./lib/transport/transport_event.ts";
export type {
  OpenOptions,
  Reopen,
  Signals,
  TransportInfo,
  UsbInfo,
} from "./lib/transport/types.ts";

if (import.meta.main) {
  // The command line is imported by a computed URL, so that it (with the simulator, Octokit and
  // the progress bar) is no part of the module graph of programs that import this module; it is
  // loaded only when this module is the program. Not awaited: the CLI imports this module, which
  // must finish evaluating first. What escapes (a missing permission, a failed download) is one
  // line, not a stack.
  const cli = new URL("./lib/cli/main.ts", import.meta.url).href;
  import(cli)
    .then((cliModule: { runCli(argv: readonly string[]): Promise<never> }) =>
      cliModule.runCli(Deno.args)
    )
    .catch((e: unknown) => {
      // deno-lint-ignore no-console -- the one line a failed start prints
      console.error(`error: cannot start nodeflash: ${e instanceof Error ? e.message : e}`);
      Deno.exitCode = 1;
    });
}
