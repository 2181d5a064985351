import assert from "node:assert/strict";
import { parseBootLog } from "./boot_log.ts";
import { diagnose, type DiagnoseContext } from "./diagnose.ts";
import { BANNERS, FORMATTING, ROM_LOADS, romHeader } from "./testing/transcripts.ts";
import { garbleBaud } from "../sim/uart_garble.ts";
import { consoleText } from "./console_text.ts";

const ctx = (over: Partial<DiagnoseContext>): DiagnoseContext => ({
  url: "rfc2217://lab:4000",
  stop: "timeout",
  waitedMs: 20_000,
  consoleBaud: 115200,
  ...over,
});
const code = (text: string, over: Partial<DiagnoseContext> = {}) =>
  diagnose(parseBootLog(text), ctx(over))?.code;
const garble = (text: string, from: number, to: number) =>
  consoleText(garbleBaud(Uint8Array.from(text, (c) => c.charCodeAt(0)), from, to));

Deno.test("silence, or a couple of stray bytes, is silence", () => {
  const d = diagnose(parseBootLog(""), ctx({}));
  assert.equal(d?.code, "smoke/silent");
  assert.match(d?.message ?? "", /^Nothing came from rfc2217:\/\/lab:4000 in 20 s/);
  assert.match(d?.hint ?? "", /powered.*port.*cable/);
  assert.equal(code("\u0000\u00ff"), "smoke/silent");
});

Deno.test("noise only is a baud or cable problem", () => {
  const noise = garble(romHeader(2, [3, 6]) + ROM_LOADS + BANNERS[4]!.console, 74880, 115200);
  const d = diagnose(parseBootLog(noise), ctx({}));
  assert.equal(d?.code, "smoke/garbled");
  assert.match(d?.hint ?? "", /115200/);
});

Deno.test("a readable ROM line followed by nothing or noise: the console is unreadable", () => {
  const rom = romHeader(2, [3, 6]) + ROM_LOADS;
  assert.equal(code(rom), "smoke/console-unreadable");
  const d = diagnose(parseBootLog(rom + garble(BANNERS[4]!.console, 9600, 115200)), ctx({}));
  assert.equal(d?.code, "smoke/console-unreadable");
  assert.match(d?.message ?? "", /unreadable at 115200 baud/);
});

Deno.test("a banner without a prompt, and text without a banner", () => {
  const banner = BANNERS[4]!.console.replace(/> $/, "");
  const d = diagnose(parseBootLog(banner), ctx({}));
  assert.equal(d?.code, "smoke/no-prompt");
  assert.match(d?.hint ?? "", /uart\.on/);
  const other = diagnose(parseBootLog("\r\nready\r\n"), ctx({}));
  assert.equal(other?.code, "smoke/no-prompt");
  assert.match(other?.hint ?? "", /AT and MicroPython/);
});

Deno.test("a format that stopped printing dots", () => {
  const d = diagnose(parseBootLog(FORMATTING + "....."), ctx({ stop: "format-stalled" }));
  assert.equal(d?.code, "smoke/format-stalled");
  assert.match(d?.message ?? "", /5 dots/);
  assert.match(d?.hint ?? "", /longer smoke timeout/);
});

Deno.test("the port closing mid-test is reported as such", () => {
  assert.equal(code(romHeader(2, [3, 6]), { stop: "ended" }), "smoke/port-closed");
});

Deno.test("probe failures: no fresh prompt, no computed answer, user pattern", () => {
  const at = BANNERS[4]!.console;
  const stop = "prompt" as const;
  assert.equal(
    code(at, { stop, probe: { step: "empty-line", sent: "", reply: "" } }),
    "smoke/prompt-unresponsive",
  );
  const echo = diagnose(
    parseBootLog(at),
    ctx({
      stop,
      probe: { step: "nonce", sent: "print(6*7)", reply: "" },
    }),
  );
  assert.equal(echo?.code, "smoke/lua-not-running");
  assert.match(echo?.message ?? "", /answered nothing/);
  const user = diagnose(
    parseBootLog(at),
    ctx({
      stop,
      probe: { step: "user", sent: "print(wifi)", reply: "nil", expect: /^romtable/ },
    }),
  );
  assert.equal(user?.code, "smoke/user-probe-failed");
  assert.match(user?.message ?? "", /printed "nil", which does not match \/\^romtable\//);
});

Deno.test("a prompt that appeared but never settled is not called a missing prompt", () => {
  const busy = BANNERS[4]!.console + "tick\r\ntick\r\ntick\r\n";
  const d = diagnose(parseBootLog(busy), ctx({}));
  assert.equal(d?.code, "smoke/prompt-busy");
  assert.match(d?.hint ?? "", /init\.lua/);
});
