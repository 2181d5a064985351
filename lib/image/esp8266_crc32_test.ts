import assert from "node:assert/strict";
import zlib from "node:zlib";
import { crc32, esp8266Crc32 } from "./esp8266_crc32.ts";

/** Deterministic test data. */
function bytes(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

Deno.test("crc32 agrees with node:zlib on many inputs", () => {
  assert.equal(crc32(new Uint8Array(0)), 0);
  for (let seed = 1; seed <= 50; seed++) {
    const data = bytes(seed, seed * 37);
    assert.equal(crc32(data), zlib.crc32(data), `seed ${seed}`);
  }
});

Deno.test("esp8266Crc32 inverts when the top bit is set and adds one otherwise", () => {
  let inverted = 0;
  let incremented = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const data = bytes(seed, 64);
    const plain = zlib.crc32(data);
    if (plain >= 0x80000000) {
      assert.equal(esp8266Crc32(data), (~plain) >>> 0);
      inverted++;
    } else {
      assert.equal(esp8266Crc32(data), plain + 1);
      incremented++;
    }
  }
  assert.ok(inverted > 0 && incremented > 0);
  // The result never has the top bit set, so adding one cannot overflow.
  for (let seed = 1; seed <= 200; seed++) assert.ok(esp8266Crc32(bytes(seed, 16)) < 0x80000001);
});
