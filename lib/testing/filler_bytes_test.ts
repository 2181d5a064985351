import assert from "node:assert/strict";
import zlib from "node:zlib";
import { fillerBytes } from "./filler_bytes.ts";

Deno.test("fillerBytes is deterministic, seed-dependent and compresses like code", () => {
  const a = fillerBytes(256 * 1024, 42);
  assert.deepEqual(a, fillerBytes(256 * 1024, 42));
  assert.notDeepEqual(a.subarray(0, 64), fillerBytes(64, 43));
  assert.deepEqual(fillerBytes(10, 42), a.subarray(0, 10));
  const ratio = zlib.deflateSync(a, { level: 9 }).length / a.length;
  assert.ok(ratio > 0.35 && ratio < 0.85, `compression ratio ${ratio}`);
});
