import assert from "node:assert/strict";
import { endsWithPrompt, parseBootLog } from "./boot_log.ts";
import { BANNERS, FORMATTING, ROM_LOADS, romHeader } from "./testing/transcripts.ts";

Deno.test("a whole first boot: ROM, format with dots, banner, init.lua message, prompt", () => {
  const text = romHeader(2, [3, 6]) + ROM_LOADS + "\u00f0\u0000\u00fe" + FORMATTING +
    ".".repeat(52) + BANNERS[4]!.console;
  const log = parseBootLog(text);
  assert.equal(log.rom.boots.length, 1);
  assert.deepEqual(log.formatting, { at: text.indexOf("Formatting"), dots: 52, ended: true });
  assert.equal(log.banners.length, 1);
  assert.equal(log.initLuaMissing, text.indexOf("cannot open init.lua: "));
  assert.deepEqual(log.prompts, [text.length - 2]);
  assert.equal(log.noise, 3);
  assert.equal(log.afterRom.noise, 3);
  assert.deepEqual(log.signatures, []);
});

Deno.test("a format in progress has not ended; the count follows the dots", () => {
  assert.deepEqual(parseBootLog(FORMATTING).formatting, { at: 0, dots: 0, ended: false });
  assert.deepEqual(parseBootLog(FORMATTING + "....").formatting, { at: 0, dots: 4, ended: false });
  assert.deepEqual(parseBootLog(FORMATTING + "...\r").formatting, { at: 0, dots: 3, ended: true });
});

Deno.test("a line of dots alone counts as a format whose message was lost", () => {
  const text = "\u00f0\u00fe\u0080\r\n.......";
  assert.deepEqual(parseBootLog(text).formatting, { at: 5, dots: 7, ended: false });
  assert.equal(parseBootLog(text + "\r\nNodeMCU").formatting?.ended, true);
  assert.equal(parseBootLog("..\r\n").formatting, undefined);
});

Deno.test("both init.lua spellings are found", () => {
  assert.equal(parseBootLog("lua: cannot open init.lua\r\n").initLuaMissing, 0);
  assert.equal(parseBootLog("x\r\ncannot open init.lua: \r\n").initLuaMissing, 3);
  assert.equal(parseBootLog("init.lua:1: oops\r\n").initLuaMissing, undefined);
});

Deno.test("prompts: '> ' and '>> ' at line starts, with or without typed input after", () => {
  const log = parseBootLog("> print(1)\r\n1\r\n> for i=1,2 do\r\n>> end\r\n> ");
  assert.equal(log.prompts.length, 4);
  assert.ok(endsWithPrompt("\r\n> "));
  assert.ok(endsWithPrompt("x\r\n>> "));
  assert.ok(endsWithPrompt("> "));
  assert.ok(!endsWithPrompt("\r\n> print(1)"));
  assert.ok(!endsWithPrompt("a > "));
  assert.ok(!endsWithPrompt("\r\n>"));
});
