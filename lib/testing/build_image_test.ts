import assert from "node:assert/strict";
import { isNodeflashError } from "../errors.ts";
import { buildImage, buildImageV2 } from "./build_image.ts";
import { fillerBytes } from "./filler_bytes.ts";
import { parseImage, verifyImage } from "../image/parse_image.ts";

Deno.test("buildImage pads segments to 4 bytes and the file to 16 with the checksum last", () => {
  for (let n = 0; n < 40; n++) {
    const bytes = buildImage({
      segments: [{ address: 0x3ffe8000, data: fillerBytes(n, n) }],
      flashSize: "16MB",
      flashFreq: "20m",
    });
    assert.equal(bytes.length % 16, 0, `${n}`);
    const image = verifyImage(bytes);
    assert.equal(image.segments[0]!.length, Math.ceil(n / 4) * 4);
    assert.deepEqual(image.segments[0]!.data.subarray(0, n), fillerBytes(n, n));
    assert.ok(image.segments[0]!.data.subarray(n).every((b) => b === 0));
    assert.equal(bytes[3], 0x92);
    assert.equal(bytes[2], 0, "qio by default");
  }
  assert.equal(parseImage(buildImage({ segments: [] })).end, 16);
});

Deno.test("more than 16 segments is refused", () => {
  const segments = Array.from({ length: 17 }, (_, i) => ({
    address: 0x3ffe8000 + i * 4,
    data: new Uint8Array(4),
  }));
  assert.throws(
    () => buildImage({ segments }),
    (e) => isNodeflashError(e) && e.code === "image/too-many-segments",
  );
  assert.throws(() => buildImageV2({ segments, irom: new Uint8Array() }), /17 segments/);
});
