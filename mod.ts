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
import { registerTransportScheme } from "./lib/transport/open.ts";
export {
  openTransport,
  type OpenTransportOptions,
  registerTransportScheme,
  type TransportOpener,
} from "./lib/transport/open.ts";
export { listPorts, type ListPortsOptions, type PortInfo } from "./lib/transport/serial/list.ts";
export { choosePort } from "./lib/transport/serial/choose_port.ts";
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
export { type FlashLayout, flashLayout } from "./lib/chip/esp8266.ts";
export { chipVariant, formatMac, parseMac } from "./lib/chip/identity.ts";
export {
  FLASH_SIZES,
  type FlashFreq,
  type FlashMode,
  type FlashSizeName,
  type FlashSizeRow,
  parseFlashFreq,
  parseFlashMode,
  parseFlashSize,
  parseFlashSizeSetting,
} from "./lib/chip/flash_size.ts";
export { flashSizeFromJedec, type JedecCapacity, jedecCapacity } from "./lib/chip/jedec.ts";
export type { ChipInfo, FlashInfo, RomSession, Session, StubSession } from "./lib/chip/session.ts";
export { identifyChip } from "./lib/chip/detect.ts";
export { loadStub, runStub, type StubImage } from "./lib/chip/stub.ts";
export { findRomBootLines, type RomBootLine } from "./lib/chip/rom_boot.ts";
export { type ImageInfo, imageInfo } from "./lib/image/image_info.ts";
export { type MergedImage, mergeImages, type MergePart } from "./lib/image/merge_images.ts";
export {
  buildImage,
  buildNodemcuFirmware,
  type NodemcuFirmware,
  type NodemcuFirmwareOptions,
} from "./lib/image/build.ts";
export { type ParsedImage, parseImage } from "./lib/image/parse_image.ts";
export { patchImageHeader } from "./lib/image/patch_image_header.ts";
export { findNodemcuBanner, type NodemcuBanner } from "./lib/image/nodemcu_banner.ts";
export type { FlashEvent, OnFlashEvent } from "./lib/flasher/events.ts";
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
export { changeBaud } from "./lib/flasher/baud.ts";
export {
  AUTO_BAUDS,
  type BaudSetting,
  FAST_SYNC_BAUD,
  parseBaudSetting,
} from "./lib/flasher/baud_choice.ts";
export { type LinkFacts, LinkMemory } from "./lib/flasher/link_memory.ts";
export { checkEraseRegion, eraseChip, eraseRegion } from "./lib/flasher/erase.ts";
export { readFlash } from "./lib/flasher/read.ts";
export { flashMd5, md5Hex } from "./lib/flasher/md5.ts";
export { type BuiltInInitData, builtInInitData } from "./lib/flasher/init_data.ts";
export {
  checkFiles,
  type FlashFile,
  type FlashPlan,
  type InitDataChoice,
  planFlash,
} from "./lib/flasher/plan.ts";
export { type RegionResult } from "./lib/flasher/flash_region.ts";
export { checkFlashJob, flash, type FlashOptions, type FlashResult } from "./lib/flasher/flash.ts";
export {
  runSmokeTest,
  type SmokeReset,
  type SmokeResult,
  type SmokeTestOptions,
} from "./lib/smoke/smoke.ts";
export type { SmokeEvent, SmokeEventHandler } from "./lib/smoke/smoke_event.ts";
export type { Diagnosis } from "./lib/smoke/diagnose.ts";
export { looksGarbled, noiseCount } from "./lib/smoke/console_text.ts";
export {
  defaultCacheDir,
  type FetchedReleaseAsset,
  fetchReleaseAsset,
  type FetchReleaseAssetOptions,
  parseReleaseRef,
  type ReleaseRef,
  type ReleaseSelector,
} from "./lib/release/mod.ts";

// Types the API above refers to.
export type { BannerFields } from "./lib/smoke/banner.ts";
export type { BuildImageOptions, FirmwarePart, SegmentSpec } from "./lib/image/build.ts";
export type {
  CheckValue,
  ImageHeader,
  ImageSegment,
  ParseImageOptions,
} from "./lib/image/parse_image.ts";
export type { ChipVariant, ChipVariantName, Efuses } from "./lib/chip/identity.ts";
export type {
  Clock,
  DefaultCacheDirOptions,
  DownloadProgress,
  Inclusion,
  ReleaseEventListener,
  Repository,
  RetryPolicy,
  UploadWaitPolicy,
} from "./lib/release/mod.ts";
export type { CommandOptions } from "./lib/protocol/connection.ts";
export type {
  FlashParams,
  HeaderPatchOptions,
  HeaderPatchResult,
} from "./lib/image/patch_image_header.ts";
export type { MemoryLinkOptions } from "./lib/transport/memory.ts";
export type { MergeOptions } from "./lib/image/merge_images.ts";
export type { NodemcuBannerFields, NodemcuBannerSpec } from "./lib/image/nodemcu_banner.ts";
export type { ParseFlashSizeOptions, ParseSettingOptions } from "./lib/chip/flash_size.ts";
export type { PlannedRegion, PlanOptions } from "./lib/flasher/plan.ts";
export type { PosixPortOptions } from "./lib/transport/serial/posix_port.ts";
export type { Request, Response } from "./lib/protocol/packet.ts";
export type { ResetRunner } from "./lib/smoke/smoke.ts";
export type { ResetTarget, RunResetOptions } from "./lib/protocol/reset_sequence.ts";
export type { RunStubOptions } from "./lib/chip/stub.ts";
export type { SegmentInfo } from "./lib/image/image_info.ts";
export type { SessionBase } from "./lib/chip/session.ts";
export type { SmokePhase } from "./lib/smoke/phase.ts";
export type { SmokeTiming } from "./lib/smoke/watch_boot.ts";
export type { OsName, ReleaseEvent } from "./lib/release/mod.ts";
export type { HeaderPatchSkip } from "./lib/image/patch_image_header.ts";
export type { Rfc2217Options } from "./lib/transport/rfc2217_transport.ts";
export type { TransportEvent, TransportEventListener } from "./lib/transport/transport_event.ts";
export type { Status } from "./lib/protocol/status.ts";
export type { MemoryRegion } from "./lib/image/image_info.ts";

/**
 * `sim://` ports: an in-process simulated ESP8266 (see `@x/nodeflash/sim`). Registered here so the
 * transport layer never imports the simulator; the simulator loads only when a `sim://` port is
 * opened.
 */
registerTransportScheme("sim", async (url, options) => {
  const { openSimTransport } = await import("./lib/sim/mod.ts");
  return await openSimTransport(
    url,
    options.baudRate === undefined ? {} : { baudRate: options.baudRate },
  );
});

if (import.meta.main) {
  // Not awaited: the CLI imports this module, which must finish evaluating first.
  import("./lib/cli/main.ts").then(({ runCli }) => runCli(Deno.args));
}
