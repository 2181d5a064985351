import assert from "node:assert/strict";
import { ResetNoise } from "./reset_noise.ts";
import { garbleBaud } from "../sim/uart_garble.ts";
import { BANNERS, ROM_LOADS, romHeader, SDK_PRE_INIT } from "../smoke/testing/transcripts.ts";

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** What a host at 115200 reads while the ROM and the SDK talk at 74880. */
const BOOT_NOISE = garbleBaud(
  latin1(romHeader(2, [3, 6]) + ROM_LOADS + SDK_PRE_INIT),
  74880,
  115200,
);
const BANNER = latin1(BANNERS.at(-1)!.console);

Deno.test("console text of every banner era, echo and prompts never looks like a reset", () => {
  const d = new ResetNoise();
  let t = 0;
  for (const b of BANNERS) {
    assert.equal(d.feed(latin1(b.console), t += 10), undefined, b.name);
    assert.equal(d.feed(latin1("print(6*7)\r\n42\r\n> \b \b"), t += 10), undefined);
  }
  assert.equal(d.inBurst, false);
  assert.equal(d.idle(t + 1000), false);
});

Deno.test("boot noise then a pause then the banner: one report, when the pause is over", () => {
  const d = new ResetNoise();
  assert.equal(d.feed(latin1("> "), 0), undefined);
  assert.equal(d.feed(BOOT_NOISE, 10), undefined);
  assert.equal(d.inBurst, true);
  assert.equal(d.quietDeadline, 110);
  assert.equal(d.idle(109), false);
  assert.equal(d.idle(110), true);
  assert.equal(d.idle(200), false, "reported once");
  assert.equal(d.feed(BANNER, 200), undefined);
});

Deno.test("when the banner arrives before the timer fired, the note goes before it", () => {
  const d = new ResetNoise();
  d.feed(BOOT_NOISE, 10);
  assert.equal(d.feed(BANNER, 160), 0);
  assert.equal(d.inBurst, false);
});

Deno.test("noise and banner in one chunk: the burst ends where the clean text starts", () => {
  const d = new ResetNoise();
  const chunk = new Uint8Array([...BOOT_NOISE, ...BANNER]);
  const at = d.feed(chunk, 10);
  assert.notEqual(at, undefined);
  // The clean run starts at the last noise byte + 1: within the banner's first bytes, or in the
  // printable tail of the noise just before it.
  assert.ok(at! <= BOOT_NOISE.length && at! > BOOT_NOISE.length - 8, `ended at ${at}`);
});

Deno.test("a few stray bytes are not a reset", () => {
  const d = new ResetNoise();
  const stray = latin1("> \u00ff\u0000 print(1)\r\n1\r\n> \u00fe");
  for (let i = 0; i < 20; i++) d.feed(stray, i);
  assert.equal(d.inBurst, false);
});

Deno.test("a second reset after the first is reported again; clear() forgets a burst", () => {
  const d = new ResetNoise();
  d.feed(BOOT_NOISE, 0);
  assert.equal(d.feed(BANNER, 500), 0);
  d.feed(BOOT_NOISE, 1000);
  assert.equal(d.inBurst, true);
  d.clear();
  assert.equal(d.idle(5000), false);
});
