import assert from "node:assert/strict";
import { boardDigest } from "./board_digest.ts";

Deno.test("Adler-32 as b:a agrees with the published value, also past the 5552-byte block", () => {
  // adler32("Wikipedia") = 0x11E60398 (RFC 1950's checksum, the usual worked example)
  assert.equal(boardDigest(new TextEncoder().encode("Wikipedia"), "adler32"), "4582:920");
  // 100 000 bytes of 0xFF: a = 1 + 255 * 100000 mod 65521, b = sum of the a's mod 65521
  const ff = new Uint8Array(100_000).fill(0xff);
  let a = 1;
  let b = 0;
  for (let i = 0; i < ff.length; i++) {
    a = (a + 255) % 65521;
    b = (b + a) % 65521;
  }
  assert.equal(boardDigest(ff, "adler32"), `${b}:${a}`);
  assert.equal(boardDigest(new Uint8Array(), "adler32"), "0:1");
});

Deno.test("SHA-1 in lower-case hex, as encoder.toHex prints it", () => {
  assert.equal(boardDigest(new Uint8Array(), "sha1"), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
});
