/**
 * Test fixtures (`@x/nodeflash/testing`): valid ESP8266 images built from segments, NodeMCU-like
 * firmware (combined and split builds, with the banner the firmware prints), deterministic filler
 * bytes, and in-memory links, so tests of tools built on nodeflash need no firmware files and no
 * board. Pair them with `@x/nodeflash/sim` for a board.
 *
 * @example Firmware for a test
 * ```ts
 * import { buildNodemcuFirmware } from "./mod.ts";
 * import assert from "node:assert/strict";
 * const fw = buildNodemcuFirmware({ banner: { version: "3.0.0.0" }, totalSize: 0x20000 });
 * assert.equal(fw.combined.length, 0x20000);
 * assert.equal(fw.parts[1].address, 0x10000);
 * ```
 *
 * @module
 */

export {
  buildImage,
  type BuildImageOptions,
  buildImageV2,
  type BuildImageV2Options,
  type SegmentSpec,
} from "./build_image.ts";
export { fillerBytes } from "./filler_bytes.ts";
export {
  buildNodemcuFirmware,
  type FirmwarePart,
  type NodemcuFirmware,
  type NodemcuFirmwareOptions,
} from "./nodemcu_firmware.ts";
export {
  nodemcuBanner,
  type NodemcuBannerParts,
  type NodemcuBannerSpec,
} from "./nodemcu_banner_text.ts";
export {
  createMemoryLink,
  type LinkPeer,
  type MemoryLink,
  type MemoryLinkOptions,
} from "../transport/memory.ts";

// Types the API above refers to.
export type { FlashFreq, FlashMode, FlashSizeName } from "../chip/flash_size.ts";
export type { Signals, Transport, TransportInfo, UsbInfo } from "../transport/types.ts";
