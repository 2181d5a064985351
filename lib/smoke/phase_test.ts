import assert from "node:assert/strict";
import { parseBootLog } from "./boot_log.ts";
import { bootPhase, laterPhase, shownPhases, SMOKE_PHASES } from "./phase.ts";
import { BANNERS, FORMATTING, romHeader } from "./testing/transcripts.ts";

Deno.test("the phase is the furthest thing the log shows", () => {
  assert.equal(bootPhase(parseBootLog("")), "silent");
  assert.equal(bootPhase(parseBootLog("\u00f0\u00fe\u0080")), "silent");
  assert.equal(bootPhase(parseBootLog(romHeader(2, [3, 6]))), "rom");
  assert.equal(bootPhase(parseBootLog(romHeader(2, [3, 6]) + FORMATTING + "..")), "formatting");
  const banner = BANNERS[1]!.console;
  assert.equal(bootPhase(parseBootLog(banner.slice(0, banner.indexOf("lua:")))), "banner");
  assert.equal(bootPhase(parseBootLog(banner)), "prompt");
  // A board with its banner disabled goes straight to the prompt.
  assert.equal(bootPhase(parseBootLog("> ")), "prompt");
});

Deno.test("phases only move forward", () => {
  assert.equal(laterPhase("prompt", "rom"), "prompt");
  assert.equal(laterPhase("silent", "formatting"), "formatting");
  assert.equal(laterPhase("probed", "prompt"), "probed");
  assert.equal(SMOKE_PHASES.at(-1), "probed");
});

Deno.test("shown phases list only what the log has evidence of", () => {
  assert.deepEqual(shownPhases(parseBootLog("")), []);
  const noBannerNoFormat = romHeader(2, [3, 6]) + "\r\n> ";
  assert.deepEqual(shownPhases(parseBootLog(noBannerNoFormat)), ["rom", "prompt"]);
  const all = romHeader(2, [3, 6]) + FORMATTING + "..." + BANNERS[4]!.console;
  assert.deepEqual(shownPhases(parseBootLog(all)), ["rom", "formatting", "banner", "prompt"]);
});
