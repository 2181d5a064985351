import assert from "node:assert/strict";
import { parseRequest, payloadChecksum, words } from "./request.ts";

Deno.test("parseRequest reads the header and keeps the data as received", () => {
  const frame = new Uint8Array([0, 0x03, 0x10, 0x04, 0x12, 0, 0, 0, 9, 9]);
  const r = parseRequest(frame)!;
  assert.deepEqual([r.direction, r.op, r.size, r.checksum, [...r.data]], [0, 3, 0x410, 0x12, [
    9,
    9,
  ]]);
  assert.equal(parseRequest(frame.subarray(0, 7)), undefined);
});

Deno.test("words reads little-endian words from an offset view; payloadChecksum seeds 0xEF", () => {
  const buf = new Uint8Array([0xff, 1, 0, 0, 0, 2, 0, 0, 0]);
  assert.deepEqual(words(buf.subarray(1), 3), [1, 2, 0]);
  assert.equal(payloadChecksum(new Uint8Array([0xef, 0x12])), 0x12);
});
