import assert from "node:assert/strict";
import { buildImageV2 } from "../testing/build_image.ts";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { fillerBytes } from "../testing/filler_bytes.ts";
import { imageInfo, memoryRegion } from "./image_info.ts";

Deno.test("imageInfo on a combined NodeMCU image", () => {
  const fw = buildNodemcuFirmware({
    totalSize: 0x40000,
    flashMode: "dout",
    flashSize: "4MB",
    flashFreq: "26m",
    banner: { version: "3.0.0.0", modules: ["file", "node", "wifi"], ssl: true },
  });
  const info = imageInfo(fw.combined);
  assert.equal(info.format, "v1");
  assert.equal(info.length, 0x40000);
  assert.equal(info.imageEnd, fw.parts[0].data.length);
  assert.equal(info.trailingBytes, 0x40000 - fw.parts[0].data.length);
  assert.equal(info.entry, 0x40100004);
  assert.deepEqual(info.segments, [
    { loadAddress: 0x40100000, length: 27444, fileOffset: 8, region: "iram", checksummed: true },
    { loadAddress: 0x3ffe8000, length: 2560, fileOffset: 27460, region: "dram", checksummed: true },
    { loadAddress: 0x3ffe8a00, length: 8, fileOffset: 30028, region: "dram", checksummed: true },
  ]);
  assert.equal(info.checksum.valid, true);
  assert.equal(info.checksum.stored, info.checksum.computed);
  assert.equal(info.crc, undefined);
  assert.deepEqual(info.header, {
    modeCode: 3,
    sizeCode: 4,
    freqCode: 1,
    mode: "dout",
    size: "4MB",
    freq: "26m",
    sizeBytes: 4 * 1024 * 1024,
  });
  assert.equal(info.nodemcu?.version, "3.0.0.0");
  assert.deepEqual(info.nodemcu?.modules, ["file", "node", "wifi"]);
  assert.equal(info.nodemcu?.ssl, true);
  assert.equal(info.nodemcu?.text, fw.bannerText);
  assert.deepEqual(info.warnings, []);
});

Deno.test("imageInfo tells firmware versions apart", () => {
  const old = imageInfo(
    buildNodemcuFirmware({ banner: { version: "1.5.4.1" }, totalSize: 0x20000 }).combined,
  );
  assert.equal(old.nodemcu?.version, "1.5.4.1");
  assert.equal(old.nodemcu?.branch, undefined);
  const none = imageInfo(buildNodemcuFirmware({ banner: "none", totalSize: 0x20000 }).combined);
  assert.equal(none.nodemcu, undefined);
});

Deno.test("imageInfo on a v2 image reads the second header and reports the CRC", () => {
  const bytes = buildImageV2({
    irom: fillerBytes(500, 1),
    segments: [{ address: 0x40100000, data: fillerBytes(40, 2) }],
    flashMode: "dio",
    flashSize: "2MB-c1",
    flashFreq: "80m",
  });
  bytes[2] = 0; // the first header disagrees; the second one counts
  const info = imageInfo(bytes);
  assert.equal(info.format, "v2");
  assert.equal(info.header.mode, "dio");
  assert.equal(info.header.size, "2MB-c1");
  assert.equal(info.header.freq, "80m");
  assert.equal(info.crc?.valid, false, "the CRC covers the first header too");
  assert.equal(info.checksum.valid, true);
  assert.deepEqual(info.segments.map((s) => [s.region, s.checksummed]), [["other", false], [
    "iram",
    true,
  ]]);
  assert.equal(info.trailingBytes, 0);
  assert.equal(info.warnings.length, 1);
});

Deno.test("memoryRegion boundaries", () => {
  assert.equal(memoryRegion(0x3ffe7fff), "other");
  assert.equal(memoryRegion(0x3ffe8000), "dram");
  assert.equal(memoryRegion(0x3fffffff), "dram");
  assert.equal(memoryRegion(0x40107fff), "iram");
  assert.equal(memoryRegion(0x40108000), "other");
  assert.equal(memoryRegion(0x40210000), "irom");
  assert.equal(memoryRegion(0x40300000), "other");
});
