import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { buildNodemcuFirmware } from "./nodemcu_firmware.ts";
import { findNodemcuBanner } from "../image/find_nodemcu_banner.ts";
import { verifyImage } from "../image/parse_image.ts";

Deno.test("NodeMCU-like firmware: layout of the combined image and the split build", () => {
  const fw = buildNodemcuFirmware({ seed: 7, totalSize: 400 * 1024, flashMode: "dio" });
  const [low, irom] = fw.parts;
  assert.equal(fw.combined.length, 400 * 1024);
  assert.deepEqual([low.address, low.name, irom.address, irom.name], [
    0,
    "0x00000.bin",
    0x10000,
    "0x10000.bin",
  ]);
  assert.deepEqual(fw.combined.subarray(0, low.data.length), low.data);
  assert.ok(fw.combined.subarray(low.data.length, 0x10000).every((b) => b === 0xff));
  assert.deepEqual(fw.combined.subarray(0x10000), irom.data);
  const image = verifyImage(low.data);
  assert.deepEqual(image.segments.map((s) => [s.loadAddress, s.length]), [
    [0x40100000, 27444],
    [0x3ffe8000, 2560],
    [0x3ffe8a00, 8],
  ]);
  assert.equal(image.header.flashModeByte, 2);
  assert.equal(image.end, low.data.length);
  // The IROM part is raw code, not an image.
  assert.notEqual(irom.data[0], 0xe9);
});

Deno.test("NodeMCU-like firmware is deterministic per seed", () => {
  const a = buildNodemcuFirmware({ seed: 3, totalSize: 0x20000 });
  assert.deepEqual(a.combined, buildNodemcuFirmware({ seed: 3, totalSize: 0x20000 }).combined);
  assert.notDeepEqual(a.combined, buildNodemcuFirmware({ seed: 4, totalSize: 0x20000 }).combined);
});

Deno.test("the banner is embedded in the IROM part and found again, per version", () => {
  for (const version of ["3.0.0.0", "2.2.0.0", "1.5.4.1"]) {
    const fw = buildNodemcuFirmware({ banner: { version }, totalSize: 0x30000 });
    assert.equal(fw.version, version);
    const inIrom = findNodemcuBanner(fw.parts[1].data);
    const inCombined = findNodemcuBanner(fw.combined);
    assert.equal(inCombined?.version, version);
    assert.equal(inCombined?.text, fw.bannerText);
    assert.equal(inCombined?.offset, (inIrom?.offset ?? 0) + 0x10000);
    assert.equal(findNodemcuBanner(fw.parts[0].data), undefined);
  }
  const none = buildNodemcuFirmware({ banner: "none", totalSize: 0x20000 });
  assert.equal(findNodemcuBanner(none.combined), undefined);
  assert.equal(none.version, undefined);
});

Deno.test("bad sizes are user errors", () => {
  assert.throws(
    () => buildNodemcuFirmware({ totalSize: 0x11000 }),
    (e) => isNodeflashError(e) && e.code === "image/too-small",
  );
  const big = [{ address: 0x40100000, data: new Uint8Array(0x10000) }];
  assert.throws(
    () => buildNodemcuFirmware({ segments: big }),
    (e) => isNodeflashError(e) && e.code === "image/too-big",
  );
});
