import assert from "node:assert/strict";
import { parseRomLog } from "./rom_log.ts";
import { ROM_LOADS, romHeader } from "./testing/transcripts.ts";

Deno.test("the byte-exact ROM header gives rst cause and boot mode", () => {
  const rom = parseRomLog("\u00f0\u0000" + romHeader(2, [3, 6]) + ROM_LOADS);
  assert.deepEqual(rom.boots, [{ at: 5, rstCause: 2, bootMode: [3, 6] }]);
});

Deno.test("load, chksum and csum lines of a flash boot are read, with either line ending", () => {
  const rom = parseRomLog(romHeader(1, [3, 7]) + ROM_LOADS.replaceAll("\r\n", "\n"));
  assert.deepEqual(
    rom.loads.map((l) => [l.address, l.length, l.room]),
    [[0x40100000, 27444, 16], [0x3ffe8000, 2560, 4], [0x3ffe8a00, 8, 12]],
  );
  assert.deepEqual(rom.csums, [0x6c]); // the chksum lines are not mistaken for csum
  assert.equal(rom.csumError, false);
  const text = romHeader(1, [3, 7]) + ROM_LOADS + "system SPI FI size:4";
  assert.equal(parseRomLog(text).end, text.indexOf("system"));
});

Deno.test("ROM failure lines: csum err, ets_main.c, wdt reset, waiting for host", () => {
  const bad = parseRomLog(
    romHeader(2, [3, 6]) + "load 0x00000000, len 0, room 16 \ncsum err\nets_main.c \n",
  );
  assert.equal(bad.csumError, true);
  assert.equal(bad.etsMain, true);
  const wdt = parseRomLog(
    romHeader(4, [3, 6]) + "wdt reset\r\n" + romHeader(4, [3, 6]) + "wdt reset\r\n",
  );
  assert.deepEqual(wdt.boots.map((b) => b.rstCause), [4, 4]);
  assert.equal(wdt.wdtResets, 2);
  assert.equal(parseRomLog(romHeader(2, [7, 6]) + "waiting for host\r\n").waitingForHost, true);
});

Deno.test("the esptool docs' wrong sample (2014, no colon) is not a header; noise is not either", () => {
  assert.equal(parseRomLog("ets Jan 8 2014,rst cause 1, boot mode:(3,7)").boots.length, 0);
  assert.equal(parseRomLog("\u00ff\u00fe ets \u0080 rst").boots.length, 0);
  assert.equal(parseRomLog("").end, 0);
});
