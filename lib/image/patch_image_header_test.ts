import assert from "node:assert/strict";
import { FLASH_FREQS, FLASH_MODES, FLASH_SIZES } from "../chip/flash_size.ts";
import { buildImage, buildImageV2 } from "../testing/build_image.ts";
import { fillerBytes } from "../testing/filler_bytes.ts";
import { verifyImage } from "./parse_image.ts";
import { patchImageHeader, readFlashParams } from "./patch_image_header.ts";

const image = () =>
  buildImage({
    segments: [{ address: 0x40100000, data: fillerBytes(64, 1) }],
    flashMode: "qio",
    flashSize: "1MB",
    flashFreq: "40m",
  });

Deno.test("readFlashParams decodes codes and names, leaving unknown codes nameless", () => {
  assert.deepEqual(readFlashParams(image()), {
    modeCode: 0,
    sizeCode: 2,
    freqCode: 0,
    mode: "qio",
    size: "1MB",
    freq: "40m",
  });
  assert.deepEqual(readFlashParams(new Uint8Array([0xe9, 0, 7, 0x75])), {
    modeCode: 7,
    sizeCode: 7,
    freqCode: 5,
  });
});

Deno.test("every mode/size/freq combination patches bytes 2-3 only and keeps the checksum valid", () => {
  const original = image();
  const before = original.slice();
  for (const [mode, modeCode] of Object.entries(FLASH_MODES)) {
    for (const row of FLASH_SIZES) {
      for (const [freq, freqCode] of Object.entries(FLASH_FREQS)) {
        const result = patchImageHeader(original, {
          mode: mode as keyof typeof FLASH_MODES,
          size: row.name,
          freq: freq as keyof typeof FLASH_FREQS,
        });
        const out = result.bytes;
        if (mode === "qio" && row.name === "1MB" && freq === "40m") {
          assert.equal(result.outcome, "unchanged");
          continue;
        }
        assert.equal(result.outcome, "patched");
        assert.equal(out[2], modeCode);
        assert.equal(out[3], (row.headerCode << 4) | freqCode);
        const diff = [...out.keys()].filter((i) => out[i] !== original[i]);
        assert.ok(diff.every((i) => i === 2 || i === 3), `${diff}`);
        assert.equal(verifyImage(out).checksum.valid, true);
      }
    }
  }
  assert.deepEqual(original, before, "the input is never modified");
});

Deno.test("keep leaves each field as it was", () => {
  const base = patchImageHeader(image(), { mode: "dout", size: "4MB", freq: "80m" }).bytes;
  assert.deepEqual([base[2], base[3]], [3, 0x4f]);
  const sizeOnly = patchImageHeader(base, { size: "2MB-c1" });
  assert.deepEqual([sizeOnly.bytes[2], sizeOnly.bytes[3]], [3, 0x5f]);
  const freqOnly = patchImageHeader(base, { mode: "keep", size: "keep", freq: "26m" });
  assert.deepEqual([freqOnly.bytes[2], freqOnly.bytes[3]], [3, 0x41]);
  const modeOnly = patchImageHeader(base, { mode: "dio" });
  assert.equal(modeOnly.outcome, "patched");
  if (modeOnly.outcome === "patched") {
    assert.equal(modeOnly.before.mode, "dout");
    assert.equal(modeOnly.after.mode, "dio");
    assert.equal(modeOnly.after.size, "4MB");
  }
});

Deno.test("images that are not v1 come back unchanged with a reason", () => {
  const v2 = buildImageV2({ irom: new Uint8Array(16), segments: [] });
  const notImage = new TextEncoder().encode("hello world, not firmware");
  const fakeMagic = new Uint8Array(32).fill(0xe9);
  const cases: Array<[Uint8Array, string, RegExp]> = [
    [v2, "v2-image", /v2 \(0xEA\)/],
    [notImage, "not-an-image", /does not start with 0xE9/],
    [fakeMagic, "invalid-image", /not a valid ESP8266 image \(the image claims 233 segments/],
    [new Uint8Array([0xe9, 0, 0, 0]), "too-short", /too short/],
  ];
  for (const [bytes, skip, reason] of cases) {
    const result = patchImageHeader(bytes, { mode: "dio" });
    assert.equal(result.outcome, "unchanged");
    assert.equal(result.bytes, bytes, "the same array comes back");
    if (result.outcome === "unchanged") {
      assert.equal(result.skip, skip);
      assert.match(result.reason, reason);
    }
  }
});

Deno.test("all-keep and already-equal values are reported as unchanged", () => {
  const bytes = image();
  const keep = patchImageHeader(bytes, {});
  assert.equal(keep.outcome === "unchanged" && keep.skip, "all-keep");
  const same = patchImageHeader(bytes, { mode: "qio", size: "1MB" });
  assert.equal(same.outcome === "unchanged" && same.skip, "same-values");
  assert.equal(same.bytes, bytes);
});

Deno.test("an image with a bad checksum is still patched (esptool does not check it either)", () => {
  const bytes = image();
  bytes[20]! ^= 0xff;
  const result = patchImageHeader(bytes, { size: "4MB" });
  assert.equal(result.outcome, "patched");
  assert.equal(result.bytes[3], 0x40);
});
