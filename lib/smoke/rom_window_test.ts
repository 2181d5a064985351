import assert from "node:assert/strict";
import { ROM_BAUD, RomWindow } from "./rom_window.ts";
import { garbleBaud } from "../sim/uart_garble.ts";
import { ROM_LOADS, romHeader, SDK_PRE_INIT } from "./testing/transcripts.ts";

const timing = { windowMs: 500, quietMs: 50, maxMs: 2000 };
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const BANNER = "\r\nNodeMCU 3.0.0.0 built on nodemcu-build.com provided by frightanic.com\r\n";

Deno.test("the ROM line is found even when it arrives split across chunks", () => {
  const w = new RomWindow(100, timing);
  const rom = latin1(romHeader(2, [3, 6]));
  w.feed(rom.subarray(0, 20), 101);
  assert.equal(w.header, undefined);
  w.feed(rom.subarray(20), 102);
  const header = (w as { header: RomWindow["header"] }).header;
  assert.deepEqual([header?.rstCause, header?.bootMode], [2, [3, 6]]);
});

Deno.test("after the ROM line, a quiet line ends the window; more ROM text restarts the wait", () => {
  const w = new RomWindow(0, timing);
  w.feed(latin1(romHeader(2, [3, 6])), 2);
  assert.equal(w.done(40), false);
  w.feed(latin1(ROM_LOADS), 40);
  assert.equal(w.done(80), false, "40 ms after the last byte");
  assert.equal(w.done(90), true, "50 ms after the last byte");
  assert.equal(w.text(), romHeader(2, [3, 6]).slice(2) + ROM_LOADS);
});

Deno.test("console-rate output misread at 74880 ends the window at once and is left out", () => {
  const w = new RomWindow(0, timing);
  const rom = romHeader(2, [3, 6]) + ROM_LOADS + SDK_PRE_INIT;
  w.feed(latin1(rom), 1);
  assert.equal(w.sawNoise, false);
  w.feed(garbleBaud(latin1(BANNER), 115200, ROM_BAUD), 5);
  assert.equal(w.sawNoise, true);
  assert.equal(w.done(5), true);
  assert.equal(w.text(), rom.slice(2));
});

Deno.test("without a ROM line the window lasts windowMs, whatever arrives", () => {
  const w = new RomWindow(1000, timing);
  w.feed(garbleBaud(latin1(romHeader(2, [3, 6])), 115200, ROM_BAUD), 1010);
  assert.equal(w.header, undefined);
  assert.equal(w.done(1499), false);
  assert.equal(w.done(1500), true);
});

Deno.test("a board that never goes quiet is left after maxMs", () => {
  const w = new RomWindow(0, timing);
  w.feed(latin1(romHeader(4, [3, 6])), 1);
  for (let t = 10; t < 2000; t += 10) {
    w.feed(latin1("wdt reset\r\n"), t);
    assert.equal(w.done(t), false);
  }
  assert.equal(w.done(2000), true);
});

Deno.test("bytes before the ROM's line (console output still in flight) are left out", () => {
  const w = new RomWindow(0, timing);
  w.feed(garbleBaud(latin1("print(1)\r\n1\r\n> "), 115200, ROM_BAUD), 0);
  w.feed(latin1(romHeader(2, [3, 6]) + ROM_LOADS), 3);
  assert.equal(w.text(), romHeader(2, [3, 6]).slice(2) + ROM_LOADS);
});
