/**
 * ESP8266 firmware images (`@x/nodeflash/image`): parse and verify them, describe them (header,
 * segments, checksum, the NodeMCU banner), merge files into one image, patch the header's flash
 * mode, size and frequency; the flash size, mode and frequency names and codes; where the SDK
 * keeps its data for a flash size, and the RF init data nodeflash can write there.
 *
 * @example Describe an image
 * ```ts
 * import { imageInfo } from "./mod.ts";
 * import { buildImage } from "../testing/mod.ts";
 * import assert from "node:assert/strict";
 * const info = imageInfo(buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(8) }] }));
 * assert.equal(info.format, "v1");
 * ```
 *
 * @module
 */

export {
  type CheckValue,
  IMAGE_MAGIC_V1,
  IMAGE_MAGIC_V2,
  type ImageHeader,
  type ImageSegment,
  type ParsedImage,
  parseImage,
  type ParseImageOptions,
  verifyImage,
} from "./parse_image.ts";
export {
  type ImageInfo,
  imageInfo,
  type MemoryRegion,
  memoryRegion,
  type SegmentInfo,
} from "./image_info.ts";
export {
  type MergedImage,
  mergeImages,
  type MergeOptions,
  type MergePart,
} from "./merge_images.ts";
export {
  type FlashParams,
  type HeaderPatchOptions,
  type HeaderPatchResult,
  type HeaderPatchSkip,
  patchImageHeader,
} from "./patch_image_header.ts";
export { findNodemcuBanner, type NodemcuBanner } from "./find_nodemcu_banner.ts";
export { type NodemcuBannerFields, parseNodemcuBanner } from "./nodemcu_banner.ts";
export {
  FLASH_SIZES,
  type FlashFreq,
  type FlashMode,
  type FlashSizeName,
  type FlashSizeRow,
  flashSizeRow,
  parseFlashFreq,
  parseFlashMode,
  parseFlashSize,
  type ParseFlashSizeOptions,
  parseFlashSizeSetting,
  type ParseSettingOptions,
} from "../chip/flash_size.ts";
export { type FlashLayout, flashLayout } from "../chip/esp8266.ts";
export { type BuiltInInitData, builtInInitData } from "../flasher/init_data.ts";
