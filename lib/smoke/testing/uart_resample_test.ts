import assert from "node:assert/strict";
import { resampleUart } from "./uart_resample.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const all = new Uint8Array(256).map((_, i) => i);

Deno.test("equal rates, and rates within a UART's tolerance, give the bytes back", () => {
  assert.deepEqual(resampleUart(all, 115200, 115200), all);
  assert.deepEqual(resampleUart(all, 115200, 115200 * 1.02), all);
  assert.deepEqual(resampleUart(all, 74880, 74880 * 0.98), all);
});

Deno.test("74880 read at 115200 (and back) is noise, the same noise every time", () => {
  const rom = enc(" ets Jan  8 2013,rst cause:2, boot mode:(3,6)");
  const fast = resampleUart(rom, 74880, 115200);
  assert.equal(new TextDecoder("latin1").decode(fast).includes("ets"), false);
  assert.deepEqual(resampleUart(rom, 74880, 115200), fast);
  const slow = resampleUart(enc("NodeMCU 3.0.0.0"), 115200, 74880);
  assert.equal(new TextDecoder("latin1").decode(slow).includes("NodeMCU"), false);
});

Deno.test("a faster sender yields fewer bytes, a slower one more start bits", () => {
  const text = enc("x".repeat(100));
  assert.ok(resampleUart(text, 115200, 9600).length < 20);
  assert.ok(resampleUart(text, 9600, 115200).length >= 100);
});

Deno.test("one byte by hand: 0x55 sent at half the receiver's rate reads as 0x66 0xe6", () => {
  // Sender bits (each two receiver bits long): start 0, data 1,0,1,0,1,0,1,0 (LSB first), stop 1.
  // The receiver samples its data bits at 1.5 ... 8.5 receiver bits after the edge: sender bits
  // 0,1,1,2,2,3,3,4 = 0,1,1,0,0,1,1,0 = 0x66. It hunts again after its stop bit (sender bit 4.75)
  // and finds the 1->0 edge into sender bit 6: bits 6,7,7,8,8,9,9,idle = 0,1,1,0,0,1,1,1 = 0xe6.
  assert.deepEqual(
    resampleUart(new Uint8Array([0x55]), 57600, 115200),
    new Uint8Array([0x66, 0xe6]),
  );
});

Deno.test("nothing sent, nothing received", () => {
  assert.deepEqual(resampleUart(new Uint8Array(0), 74880, 115200), new Uint8Array(0));
});
