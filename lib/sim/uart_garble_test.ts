import assert from "node:assert/strict";
import { garbleBaud } from "./uart_garble.ts";

const text = new TextEncoder().encode("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n");
const ascii = (b: Uint8Array) => new TextDecoder("latin1").decode(b);

Deno.test("garbleBaud: equal rates and rates within a UART's tolerance give the bytes back", () => {
  assert.deepEqual(garbleBaud(text, 115200, 115200), text);
  assert.deepEqual(garbleBaud(text, 74880, 74880 * 1.02), text);
  assert.deepEqual(garbleBaud(text, 74928, 74880), text, "the ROM's 52 MHz / 694 against 74880");
  assert.deepEqual(garbleBaud(new Uint8Array(0), 74880, 115200), new Uint8Array(0));
});

Deno.test("garbleBaud: 74880 read at 115200 is noise, not the text", () => {
  const heard = garbleBaud(text, 74880, 115200);
  assert.ok(heard.length > 0, "a receiver hears something");
  assert.doesNotMatch(ascii(heard), /ets|Jan|cause|boot/);
  // A faster receiver sees each slow bit as one and a half of its own: more edges, more bytes.
  assert.notEqual(heard.length, text.length);
  // Deterministic: the same line gives the same noise.
  assert.deepEqual(garbleBaud(text, 74880, 115200), heard);
});

Deno.test("garbleBaud: 115200 read at 74880 is noise too, and the first byte is decoded from the right bits", () => {
  const heard = garbleBaud(text, 115200, 74880);
  assert.doesNotMatch(ascii(heard), /ets|Jan|cause|boot/);
  // 0x55 alternates bits; read 1.54x slower, its first start bit is caught and the byte differs.
  const one = garbleBaud(new Uint8Array([0x55]), 115200, 74880);
  assert.equal(one.length, 1);
  assert.notEqual(one[0], 0x55);
  // 0xFF is a lone start bit: the slow receiver's middle-of-bit samples all land on 1s but the
  // start bit check half a (slow) bit in still lands inside it.
  assert.deepEqual(garbleBaud(new Uint8Array([0xff]), 115200, 74880), new Uint8Array([0xff]));
});
