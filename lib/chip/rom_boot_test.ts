import assert from "node:assert/strict";
import { bootModeKind, describeBootMode, describeRstCause, findRomBoots } from "./rom_boot.ts";

Deno.test("ROM boot lines: every one in a capture, with noise around and either spacing", () => {
  const text = "\x00\xff\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,6)\r\n\r\n" +
    "garbage ets Jan 8 2013,rst cause: 4, boot mode:(1,7)\n" +
    " ets Jan  8 2013,rst cause:1, boot mode:(7,7)";
  assert.deepEqual(findRomBoots(text).map((b) => [b.rstCause, b.bootMode]), [
    [2, [3, 6]],
    [4, [1, 7]],
    [1, [7, 7]],
  ]);
  assert.equal(text.slice(findRomBoots(text)[1]!.at).startsWith("ets Jan 8"), true);
  assert.deepEqual(findRomBoots("ets Jan  8 2013,rst cause:2, boot mode:(3"), []);
});

Deno.test("ROM boot lines: causes and modes in words", () => {
  assert.equal(describeRstCause(1), "power-on");
  assert.match(describeRstCause(2), /EN pin/);
  assert.equal(describeRstCause(9), "unknown (9)");
  assert.match(describeBootMode(1), /download/);
  assert.match(describeBootMode(7), /GPIO15/);
  assert.match(describeBootMode(0), /invalid/);
  assert.deepEqual([0, 1, 2, 3, 4, 7, 8].map(bootModeKind), [
    "invalid",
    "download",
    "invalid",
    "flash",
    "sdio",
    "sdio",
    "invalid",
  ]);
});
