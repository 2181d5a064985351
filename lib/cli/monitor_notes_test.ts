import assert from "node:assert/strict";
import {
  connectedNote,
  FOREIGN_RESET_NOTE,
  helpNote,
  printable,
  resetNote,
} from "./monitor_notes.ts";
import { RomWindow } from "../smoke/mod.ts";
import { garbleBaud } from "../sim/uart_garble.ts";
import { ROM_LOADS, romHeader } from "../smoke/testing/transcripts.ts";

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const heard = (bytes: Uint8Array) => {
  const w = new RomWindow(0);
  w.feed(bytes, 1);
  return w;
};

Deno.test("every note is framed by --- on each of its lines", () => {
  const notes = [
    connectedNote("/dev/ttyUSB0", { baud: 115200, keys: false, eof: "stay" }),
    helpNote(),
    FOREIGN_RESET_NOTE,
  ];
  for (const note of notes) {
    for (const line of note.split("\n")) assert.match(line, /^--- /, line);
  }
  assert.match(notes[0]!, /Ctrl-C quits ---$/);
});

Deno.test("resetNote: the ROM's lines as text, then what the numbers mean", () => {
  const note = resetNote(heard(latin1(romHeader(4, [1, 7]) + "wdt reset\r\n")), 115200);
  assert.deepEqual(note.split("\n"), [
    "--- Reset the board; what it printed at 74880 baud: ---",
    "ets Jan  8 2013,rst cause:4, boot mode:(1,7)",
    "",
    "wdt reset",
    "--- rst cause 4: hardware watchdog; boot mode 1: UART download mode (GPIO0 low); " +
    "back at 115200 baud ---",
  ]);
  const flash = resetNote(heard(latin1(romHeader(2, [3, 6]) + ROM_LOADS)), 9600);
  assert.match(flash, /^csum 0x6c$/m);
  assert.match(
    flash,
    /rst cause 2: external reset \(EN pin or software restart\); boot mode 3: flash boot; back at 9600/,
  );
  const sdio = resetNote(heard(latin1(romHeader(9, [7, 1]))), 115200);
  assert.match(sdio, /rst cause 9: unknown \(9\); boot mode 7: SDIO mode \(GPIO15 high\)/);
});

Deno.test("resetNote without a ROM line: silence, noise, or text shown as it came", () => {
  assert.equal(
    resetNote(new RomWindow(0), 115200),
    "--- Reset the board; it said nothing at 74880 baud; back at 115200 baud ---",
  );
  // A 40 MHz-crystal board: its ROM talks at 115200, misread at 74880.
  const noise = garbleBaud(latin1(romHeader(2, [3, 6])), 115200, 74880);
  assert.match(resetNote(heard(noise), 115200), /only noise \(a board with a 40 MHz crystal/);
  const text = resetNote(heard(latin1("hello from a custom bootloader\r\n")), 115200);
  assert.deepEqual(text.split("\n").slice(1), [
    "hello from a custom bootloader",
    "--- no ROM boot message among it; back at 115200 baud ---",
  ]);
});

Deno.test("printable keeps text and tabs, replaces control and 8-bit bytes", () => {
  assert.equal(printable("a\tb\r\nc\rd\x00\x07\xff\r\n"), "a\tb\nc\nd\ufffd\ufffd\ufffd");
});
