import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { buildImageV2 } from "../testing/build_image.ts";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { mergeImages } from "./merge_images.ts";
import { verifyImage } from "./parse_image.ts";

const part = (address: number, length: number, name: string, fill = 0x11) => ({
  address,
  data: new Uint8Array(length).fill(fill),
  name,
});

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isNodeflashError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  assert.fail("no error");
}

Deno.test("merging the split build gives the combined image back", () => {
  const fw = buildNodemcuFirmware({ seed: 11, totalSize: 0x30000 });
  const merged = mergeImages([fw.parts[1], fw.parts[0]]);
  assert.deepEqual(merged.data, fw.combined);
  assert.equal(merged.baseAddress, 0);
  assert.equal(merged.headerPatch, undefined);
});

Deno.test("gaps are 0xFF, padTo extends to a flash size, baseAddress shifts the output", () => {
  const merged = mergeImages([part(0x1000, 4, "a"), part(0x1008, 4, "b", 0x22)], {
    baseAddress: 0x1000,
    padTo: 0x2000,
  });
  assert.equal(merged.data.length, 0x1000);
  assert.deepEqual([...merged.data.subarray(0, 12)], [
    0x11,
    0x11,
    0x11,
    0x11,
    0xff,
    0xff,
    0xff,
    0xff,
    0x22,
    0x22,
    0x22,
    0x22,
  ]);
  assert.ok(merged.data.subarray(12).every((b) => b === 0xff));
  assert.equal(mergeImages([part(0, 4, "a")], { padTo: "512KB" }).data.length, 0x80000);
});

Deno.test("overlaps name both files and their ranges; touching parts and shared sectors are fine", () => {
  const e = errorOf(() =>
    mergeImages([part(0x10000, 0x100, "irom.bin"), part(0, 0x10004, "boot.bin")])
  );
  assert.equal(e.code, "image/overlap");
  assert.equal(
    e.message,
    "boot.bin (0x00000000..0x00010004) overlaps irom.bin (0x00010000..0x00010100)",
  );
  assert.equal(mergeImages([part(0, 8, "a"), part(8, 8, "b")]).data.length, 16);
  assert.equal(mergeImages([part(0, 0x10, "a"), part(0x800, 8, "b")]).data.length, 0x808);
});

Deno.test("unaligned, negative and pre-base addresses, no parts, content past padTo", () => {
  const unaligned = errorOf(() => mergeImages([part(0, 4, "a.bin"), part(0x1002, 4, "b.bin")]));
  assert.equal(unaligned.code, "image/unaligned");
  assert.equal(unaligned.message, "b.bin is placed at 0x00001002, which is not a multiple of 4");
  assert.equal(errorOf(() => mergeImages([part(-4, 4, "n.bin")])).code, "image/unaligned");
  assert.equal(errorOf(() => mergeImages([part(0.5, 4, "f.bin")])).code, "image/unaligned");
  const before = errorOf(() => mergeImages([part(0, 4, "a.bin")], { baseAddress: 0x1000 }));
  assert.equal(before.code, "image/before-base");
  assert.match(
    before.message,
    /a\.bin at 0x00000000 starts before the output's base address 0x00001000/,
  );
  assert.equal(errorOf(() => mergeImages([])).code, "image/no-parts");
  const big = errorOf(() => mergeImages([part(0, 0x100, "a.bin")], { padTo: 0x80 }));
  assert.equal(big.code, "image/too-big");
  assert.match(big.message, /ends at 0x00000100 \(a\.bin\), past the pad size 0x00000080/);
});

Deno.test("header options patch the image at 0x0 only and report what happened", () => {
  const fw = buildNodemcuFirmware({ totalSize: 0x20000 });
  const merged = mergeImages(fw.parts, { flashMode: "dio", flashSize: "4MB", flashFreq: "keep" });
  assert.equal(merged.headerPatch?.outcome, "patched");
  assert.deepEqual([merged.data[2], merged.data[3]], [2, 0x40]);
  assert.equal(verifyImage(merged.data).checksum.valid, true);
  assert.deepEqual(merged.data.subarray(4), fw.combined.subarray(4));
  assert.equal(fw.parts[0].data[2], 0, "inputs untouched");

  const keep = mergeImages(fw.parts, { flashMode: "keep" });
  assert.equal(keep.headerPatch, undefined);

  const v2 = buildImageV2({ irom: new Uint8Array(16), segments: [] });
  const skipped = mergeImages([{ address: 0, data: v2, name: "user1.bin" }], { flashMode: "dio" });
  assert.equal(skipped.headerPatch?.outcome, "unchanged");
  assert.deepEqual(skipped.data, v2);

  const elsewhere = mergeImages([{ ...fw.parts[0], address: 0x1000 }], {
    baseAddress: 0x1000,
    flashMode: "dio",
  });
  assert.equal(elsewhere.headerPatch, undefined);
  assert.equal(elsewhere.data[2], 0);
});
