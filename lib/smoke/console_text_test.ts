import assert from "node:assert/strict";
import { consoleLines, consoleText, isTextByte, looksGarbled, noiseCount } from "./console_text.ts";
import { garbleBaud } from "../sim/uart_garble.ts";

const enc = (s: string) => new TextEncoder().encode(s);

Deno.test("consoleText maps every byte to one character, so offsets match the capture", () => {
  const bytes = new Uint8Array(20000).map((_, i) => i % 256);
  const text = consoleText(bytes);
  assert.equal(text.length, bytes.length);
  assert.equal(text.charCodeAt(12345), 12345 % 256);
});

Deno.test("text bytes are printable ASCII plus TAB, CR, LF and backspace", () => {
  for (const b of [0x09, 0x0a, 0x0d, 0x08, 0x20, 0x7e]) assert.ok(isTextByte(b), String(b));
  for (const b of [0x00, 0x1b, 0x7f, 0x80, 0xff]) assert.ok(!isTextByte(b), String(b));
  assert.equal(noiseCount(new Uint8Array([0x41, 0x00, 0xff])), 2);
});

Deno.test("a NodeMCU banner is text; the ROM line read at the wrong rate is noise", () => {
  const rom = enc(
    "\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\nload 0x40100000, len 27444",
  );
  assert.equal(looksGarbled(rom), false);
  assert.equal(looksGarbled(garbleBaud(rom, 74880, 115200)), true);
  assert.equal(looksGarbled(garbleBaud(enc("NodeMCU 3.0.0.0\r\n"), 115200, 74880)), true);
  // One stray byte from a line glitch at reset does not make a chunk noise.
  assert.equal(looksGarbled(new Uint8Array([0x00, ...enc("ets Jan  8 2013")])), false);
});

Deno.test("consoleLines splits at LF, strips CRs and keeps offsets and the unterminated tail", () => {
  assert.deepEqual(consoleLines(""), [{ text: "", at: 0 }]);
  assert.deepEqual(consoleLines("a\r\r\n\nb"), [
    { text: "a", at: 0 },
    { text: "", at: 4 },
    { text: "b", at: 5 },
  ]);
});
