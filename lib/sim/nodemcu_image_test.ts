import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { flashImage } from "./console_tap.ts";
import { FS_MAGIC, GENERIC_BANNER, inspectNodemcuImage } from "./nodemcu_image.ts";

function inspect(flash: Uint8Array, writesInitData?: boolean) {
  return inspectNodemcuImage((a, n) => flash.slice(a, a + n), {
    flashBytes: flash.length,
    writesInitData,
  });
}

Deno.test("inspectNodemcuImage: era, init-data rule and banner follow the image's version", () => {
  for (
    const [version, era, writes] of [
      ["3.0.0.0", "3.x", true],
      ["2.2.0.0", "2.x", true],
      ["2.0.0", "2.x", true],
      ["1.5.4.1", "2.x", false],
      ["0.9.5", "2.x", false],
    ] as const
  ) {
    const fw = buildNodemcuFirmware({ totalSize: 0x30000, banner: { version } });
    const image = inspect(flashImage(4 << 20, fw.combined));
    assert.deepEqual([image.version, image.era, image.writesInitData], [version, era, writes]);
    assert.equal(image.bannerText, fw.bannerText);
  }
  const bare = inspect(
    flashImage(4 << 20, buildNodemcuFirmware({ totalSize: 0x30000, banner: "none" }).combined),
  );
  assert.deepEqual([bare.version, bare.era, bare.writesInitData, bare.bannerText], [
    undefined,
    "3.x",
    true,
    GENERIC_BANNER,
  ]);
  const forced = buildNodemcuFirmware({ totalSize: 0x30000, banner: { version: "1.5.4.1" } });
  assert.equal(inspect(flashImage(4 << 20, forced.combined), true).writesInitData, true);
});

Deno.test("inspectNodemcuImage: init data and the file system come from the header's size, not the chip's", () => {
  const fw = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "512KB" }).combined;
  const image = inspect(flashImage(4 << 20, fw));
  assert.deepEqual(
    [image.headerFlashBytes, image.initDataAddress, image.firmwareEnd, image.fsStart, image.fsEnd],
    [512 << 10, 0x7c000, 0x40000, 0x40000, 0x7b000],
  );
  const odd = fw.length; // 0x40000: ends on a 64 KiB boundary; a shorter one rounds up
  const short = inspect(flashImage(4 << 20, buildNodemcuFirmware({ totalSize: 0x31000 }).combined));
  assert.deepEqual([short.firmwareEnd, short.fsStart], [0x31000, 0x40000]);
  assert.equal(odd, 0x40000);
});

Deno.test("inspectNodemcuImage: the firmware's end stops at an erased sector or the file system's magic", () => {
  const fw = buildNodemcuFirmware({ totalSize: 0x30000 }).combined;
  const flash = flashImage(1 << 20, fw);
  flash.set(new TextEncoder().encode(FS_MAGIC), 0x30000);
  flash.fill(0x12, 0x30008, 0x50000); // file system contents right after the firmware
  assert.equal(inspect(flash).firmwareEnd, 0x30000);
  const split = flashImage(1 << 20, buildNodemcuFirmware({ totalSize: 0x30000 }).parts[0].data);
  assert.equal(inspect(split).firmwareEnd, 0x8000, "no IROM part: the v1 image, sector aligned");
});
