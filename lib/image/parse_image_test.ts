import assert from "node:assert/strict";
import zlib from "node:zlib";
import { readU32, u32le, writeU32 } from "../bytes/little_endian.ts";
import { isNodeflashError } from "../errors.ts";
import { buildImage, buildImageV2 } from "../testing/build_image.ts";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import { fillerBytes } from "../testing/filler_bytes.ts";
import { parseImage, verifyImage } from "./parse_image.ts";

const SEGMENTS = [
  { address: 0x40100000, data: fillerBytes(100, 1) },
  { address: 0x3ffe8000, data: fillerBytes(36, 2) },
];

/** Checksum computed independently of the code under test. */
function xorAll(...parts: Uint8Array[]): number {
  let c = 0xef;
  for (const p of parts) for (const b of p) c ^= b;
  return c;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isNodeflashError(e)) return e.code;
    throw e;
  }
  return "parsed";
}

Deno.test("v1: header, segments, offsets and checksum", () => {
  const bytes = buildImage({ segments: SEGMENTS, entry: 0x40100123, flashMode: "dout" });
  const image = parseImage(bytes);
  assert.equal(image.format, "v1");
  assert.equal(image.header.entry, 0x40100123);
  assert.equal(image.header.segmentCount, 2);
  assert.equal(image.header.flashModeByte, 3);
  assert.deepEqual(
    image.segments.map((s) => [s.loadAddress, s.length, s.fileOffset, s.dataOffset]),
    [[0x40100000, 100, 8, 16], [0x3ffe8000, 36, 116, 124]],
  );
  assert.deepEqual(image.segments[0]!.data, SEGMENTS[0]!.data);
  // 8 + 108 + 44 = 160 bytes of header and segments, so the checksum sits at 175.
  assert.equal(bytes.length, 176);
  assert.deepEqual(image.checksum, {
    offset: 175,
    stored: bytes[175],
    computed: xorAll(SEGMENTS[0]!.data, SEGMENTS[1]!.data),
    valid: true,
  });
  assert.equal(image.end, 176);
  assert.deepEqual(image.warnings, []);
});

Deno.test("v1: a corrupted segment byte makes the checksum invalid, a header byte does not", () => {
  const bytes = buildImage({ segments: SEGMENTS });
  const dataHit = bytes.slice();
  dataHit[20]! ^= 0x01;
  const bad = parseImage(dataHit);
  assert.equal(bad.checksum.valid, false);
  assert.equal(bad.checksum.computed, bad.checksum.stored ^ 0x01);
  assert.throws(() => verifyImage(dataHit, { name: "fw.bin" }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "image/bad-checksum");
    assert.match(
      e.message,
      /^fw\.bin has a bad checksum: 0x.. stored at 0x000000af, 0x.. computed$/,
    );
    return true;
  });
  const headerHit = bytes.slice();
  headerHit[3] = 0x4f;
  assert.equal(verifyImage(headerHit).checksum.valid, true);
});

Deno.test("v1: a combined NodeMCU image parses as its 0x00000 part followed by trailing data", () => {
  const fw = buildNodemcuFirmware({ totalSize: 0x30000 });
  const image = parseImage(fw.combined);
  assert.equal(image.end, fw.parts[0].data.length);
  assert.equal(image.segments.length, 3);
  assert.equal(image.checksum.valid, true);
});

Deno.test("v2: both headers, irom0 unchecked by the checksum, CRC32 by esptool's rule", () => {
  const irom = fillerBytes(1000, 9);
  const bytes = buildImageV2({ irom, segments: SEGMENTS, flashMode: "dio", flashSize: "4MB" });
  const image = parseImage(bytes);
  assert.equal(image.format, "v2");
  assert.equal(image.firstHeader?.magic, 0xea);
  assert.equal(image.firstHeader?.segmentCount, 4);
  assert.equal(image.header.magic, 0xe9);
  assert.equal(image.header.flashSizeFreqByte, 0x40);
  assert.deepEqual(image.segments.map((s) => [s.loadAddress, s.length, s.checksummed]), [
    [0, 1008, false],
    [0x40100000, 100, true],
    [0x3ffe8000, 36, true],
  ]);
  assert.equal(image.checksum.computed, xorAll(SEGMENTS[0]!.data, SEGMENTS[1]!.data));
  assert.equal(image.checksum.valid, true);
  // The CRC, recomputed here with zlib: inverted if the top bit is set, else plus one.
  const body = bytes.subarray(0, bytes.length - 4);
  const plain = zlib.crc32(body);
  const expected = plain >= 0x80000000 ? (~plain) >>> 0 : plain + 1;
  assert.equal(readU32(bytes, bytes.length - 4), expected);
  assert.deepEqual(image.crc, {
    offset: body.length,
    stored: expected,
    computed: expected,
    valid: true,
  });
  assert.equal(body.length % 16, 0);
  assert.equal(image.end, bytes.length);
});

Deno.test("v2: a flipped irom byte keeps the checksum but breaks the CRC", () => {
  const bytes = buildImageV2({ irom: fillerBytes(64, 3), segments: SEGMENTS });
  bytes[20]! ^= 0x80;
  const image = parseImage(bytes);
  assert.equal(image.checksum.valid, true);
  assert.equal(image.crc?.valid, false);
  assert.throws(() => verifyImage(bytes), (e) => isNodeflashError(e) && e.code === "image/bad-crc");
});

Deno.test("v2: disagreeing headers and an odd first count are reported as warnings", () => {
  const bytes = buildImageV2({ irom: new Uint8Array(16), segments: SEGMENTS, flashMode: "qio" });
  bytes[1] = 5;
  bytes[2] = 2; // first header says dio, second says qio
  const image = parseImage(bytes);
  assert.equal(image.header.flashModeByte, 0);
  assert.equal(image.warnings.length, 2);
  assert.match(image.warnings[0]!, /unexpected "segment" count 5/);
  assert.match(image.warnings[1]!, /Flash mode in the first header \(0x02\) disagrees/);
});

Deno.test("a segment loading outside RAM is warned about, as esptool does", () => {
  const image = parseImage(
    buildImage({ segments: [{ address: 0x20000000, data: new Uint8Array(4) }] }),
  );
  assert.deepEqual(image.warnings, ["Suspicious segment 0x20000000, length 4"]);
});

Deno.test("files that are not images: message names the file and the first byte", () => {
  const cases: Array<[Uint8Array, RegExp, RegExp]> = [
    [
      new TextEncoder().encode("<html>"),
      /^page.bin is not an ESP8266 firmware image \(first byte 0x3c, expected 0xe9\)$/,
      /\.bin the firmware build/,
    ],
    [new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1]), /first byte 0x7f/, /elf2image/],
    [new Uint8Array(0), /\(it is empty, expected 0xe9\)/, /\.bin/],
  ];
  for (const [bytes, message, hint] of cases) {
    assert.throws(() => parseImage(bytes, { name: "page.bin" }), (e) => {
      assert.ok(isNodeflashError(e));
      assert.equal(e.kind, "user");
      assert.equal(e.code, "image/not-an-image");
      assert.match(e.message, message);
      assert.match(e.hint ?? "", hint);
      return true;
    });
  }
});

Deno.test("structural errors: truncation, too many segments, segment past the end, bad v2 header", () => {
  const good = buildImage({ segments: SEGMENTS });
  assert.equal(codeOf(() => parseImage(good.subarray(0, 5))), "image/truncated");
  assert.equal(codeOf(() => parseImage(good.subarray(0, 12))), "image/truncated");
  assert.equal(codeOf(() => parseImage(good.subarray(0, 60))), "image/segment-past-end");
  assert.equal(codeOf(() => parseImage(good.subarray(0, 170))), "image/truncated");
  const many = good.slice();
  many[1] = 17;
  assert.throws(
    () => parseImage(many, { name: "x.bin" }),
    /x.bin claims 17 segments; an ESP8266 image has at most 16/,
  );
  const huge = good.slice();
  writeU32(huge, 12, 0x7fffffff);
  assert.throws(() => parseImage(huge, { name: "x.bin" }), (e) => {
    assert.ok(isNodeflashError(e));
    assert.equal(e.code, "image/segment-past-end");
    assert.match(
      e.message,
      /^x\.bin: segment 0 \(load 0x40100000, 2147483647 bytes at file offset 0x00000010\) runs past the end of the file \(176 bytes\)$/,
    );
    return true;
  });
  const v2 = buildImageV2({ irom: new Uint8Array(16), segments: SEGMENTS });
  const badSecond = v2.slice();
  badSecond[32] = 0xea;
  assert.equal(codeOf(() => parseImage(badSecond)), "image/corrupt");
  assert.equal(codeOf(() => parseImage(v2.subarray(0, v2.length - 2))), "image/truncated");
});

Deno.test("fuzz: every truncation and random corruption parses or fails with a user error", () => {
  const images = [
    buildImage({ segments: SEGMENTS }),
    buildImageV2({ irom: fillerBytes(40, 4), segments: SEGMENTS }),
  ];
  for (const image of images) {
    for (let n = 0; n <= image.length; n++) codeOf(() => parseImage(image.subarray(0, n)));
    let x = 12345;
    for (let round = 0; round < 2000; round++) {
      const copy = image.slice();
      for (let k = 0; k < 3; k++) {
        x = (x * 1103515245 + 12345) >>> 0;
        copy[x % copy.length] = x >>> 24;
      }
      copy[0] = image[0]!;
      const outcome = codeOf(() => parseImage(copy));
      assert.ok(outcome === "parsed" || outcome.startsWith("image/"), outcome);
    }
  }
});

Deno.test("segment data is a view of the input, not a copy", () => {
  const bytes = buildImage({ segments: [{ address: 0x40100000, data: u32le(0x11223344) }] });
  const image = parseImage(bytes);
  assert.equal(image.segments[0]!.data.buffer, bytes.buffer);
});
