import assert from "node:assert/strict";
import { bitsToBytes, bitsToNumber, bytesToBits, emitBytes } from "./spi_bits.ts";

Deno.test("spi bits: bytes survive a round trip, MSB first", () => {
  const bits = bytesToBits([0x12, 0xef, 0x00]);
  assert.equal(bits.length, 24);
  assert.deepEqual(bitsToBytes(bits, 0, 3), new Uint8Array([0x12, 0xef, 0x00]));
  assert.equal(bitsToNumber(bits, 0, 24), 0x12ef00);
  assert.deepEqual(bitsToBytes(bits, 4, 1), new Uint8Array([0x2e]), "unaligned");
});

Deno.test("spi bits: emitBytes stops at the buffer's end; missing bits read 1", () => {
  const out = new Uint8Array(10).fill(1);
  let calls = 0;
  emitBytes(out, 3, () => (calls++, 0x00));
  assert.deepEqual([...out], [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(calls, 1);
  assert.equal(bitsToNumber(new Uint8Array(0), 0, 8), 0xff);
});
