import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import type { NodemcuBannerSpec } from "../testing/nodemcu_banner_text.ts";
import { SimBoard } from "./board.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";

const MB = 1 << 20;
const MODULES = ["file", "node", "tmr"];

/** A board of this banner whose file system holds `init.lua`, booted again to run it. */
async function bootWithInit(banner: NodemcuBannerSpec, init: string) {
  const fw = buildNodemcuFirmware({ totalSize: 0x30000, flashSize: "4MB", banner });
  const board = new SimBoard({ flashContents: flashImage(4 * MB, fw.combined) });
  const tap = new ConsoleTap(board);
  await tap.until("> ");
  assert.ok(board.nodemcu!.fs!.write("init.lua", new TextEncoder().encode(init)));
  tap.clear();
  board.reset({ mode: "flash" });
  return { board, tap, banner: fw.bannerText!.replace(/\n/g, "\r\n") };
}

const CURRENT: NodemcuBannerSpec = { version: "3.0.0.0", modules: MODULES };
const CURRENT_53: NodemcuBannerSpec = { ...CURRENT, lua: "5.3.6" };
// nodemcu#3030's build: 3.0.0.0 from master in January 2020, still app/lua/lua.c
const EARLY_3: NodemcuBannerSpec = { ...CURRENT, branch: "master", releaseDts: "202001061321" };
// 3.0-master_20200610: the pipe front end, callbacks not yet through luaL_pcallx
const JUNE_2020: NodemcuBannerSpec = { ...CURRENT, releaseDts: "202006092026" };
const OLD: NodemcuBannerSpec = { version: "2.2.0.0", modules: MODULES };

Deno.test("init.lua: a runtime error on 3.x prints its traceback (pmain's C frame last) and the prompt comes", async () => {
  for (const [banner, bottom] of [[CURRENT, "[C]: ?"], [CURRENT_53, "[C]: in ?"]] as const) {
    const { board, tap, banner: text } = await bootWithInit(banner, "print('start')\nmissing()\n");
    try {
      const words = banner.lua === "5.3.6"
        ? "attempt to call a nil value (global 'missing')"
        : "attempt to call global 'missing' (a nil value)";
      assert.ok(
        (await tap.until("> ")).endsWith(
          `${text}\r\nstart\r\ninit.lua:2: ${words}\r\nstack traceback:\r\n` +
            `\tinit.lua:2: in main chunk\r\n\t${bottom}\r\n> `,
        ),
      );
      tap.clear();
      tap.type("print(1 + 1)\r\n");
      assert.equal(await tap.until(/> $/), "print(1 + 1)\r\n2\r\n> ", "Lua is up and stays up");
      assert.equal(board.lastReset.kind, "external", "no restart since the reset");
    } finally {
      await board.close();
    }
  }
});

Deno.test("init.lua: a firmware function failing in it reads as the C function it is", async () => {
  const { board, tap } = await bootWithInit(CURRENT_53, "tmr.create():alarm('x')\n");
  try {
    assert.match(
      await tap.until("> "),
      /\r\ninit\.lua:1: bad argument #1 to 'alarm' \(number expected, got string\)\r\nstack traceback:\r\n\t\[C\]: in method 'alarm'\r\n\tinit\.lua:1: in main chunk\r\n\t\[C\]: in \?\r\n> $/,
    );
  } finally {
    await board.close();
  }
});

Deno.test("init.lua: before the 2020 front end (2.x, and 3.0 builds of 2019/early 2020) the error is `lua: …`, then the prompt", async () => {
  for (const banner of [OLD, EARLY_3]) {
    // nodemcu-sensor-mqtt#1 (2.x): `lua: init.lua:17: bad argument #1 to 'config' (…)`, the
    // traceback, `[C]: ?` for pmain; nodemcu#2443: a compile error is `lua: ` + the message.
    const { board, tap } = await bootWithInit(banner, "print('start')\nmissing()\n");
    try {
      assert.ok(
        (await tap.until("> ")).endsWith(
          "\r\nstart\r\nlua: init.lua:2: attempt to call global 'missing' (a nil value)\r\n" +
            "stack traceback:\r\n\tinit.lua:2: in main chunk\r\n\t[C]: ?\r\n> ",
        ),
        JSON.stringify(banner),
      );
      board.nodemcu!.fs!.write("init.lua", new TextEncoder().encode("x x\n"));
      tap.clear();
      board.reset({ mode: "flash" });
      assert.ok(
        (await tap.until("> ")).endsWith("\r\nlua: init.lua:1: '=' expected near 'x'\r\n> "),
      );
      tap.clear();
      tap.type("nope()\r\n");
      assert.equal(
        await tap.until(/> $/),
        "nope()\r\nstdin:1: attempt to call global 'nope' (a nil value)\r\n" +
          "stack traceback:\r\n\tstdin:1: in main chunk\r\n> ",
        "the readline console: bare message, nothing below the chunk",
      );
    } finally {
      await board.close();
    }
  }
});

Deno.test("init.lua: a compile error on 3.x is the message alone, then the prompt", async () => {
  const { board, tap, banner } = await bootWithInit(CURRENT, "x x\n");
  try {
    assert.ok(
      (await tap.until("> ")).endsWith(`${banner}\r\ninit.lua:1: '=' expected near 'x'\r\n> `),
    );
  } finally {
    await board.close();
  }
});

Deno.test("init.lua: an error in a callback it set up is a PANIC and a restart, boot after boot, until June 2020", async () => {
  for (const banner of [OLD, JUNE_2020]) {
    const init = "tmr.create():alarm(50, tmr.ALARM_SINGLE, function() missing() end)\n";
    const { board, tap } = await bootWithInit(banner, init);
    try {
      const panic = "PANIC: unprotected error in call to Lua API " +
        "(init.lua:1: attempt to call global 'missing' (a nil value))\r\n";
      await tap.until(panic, 10_000);
      tap.clear();
      const again = await tap.until(panic, 10_000);
      assert.match(again, /\r\nNodeMCU \d/, "the banner: the board restarted");
      assert.match(again, /\r\n> PANIC/, "the prompt came first: the timer fired after it");
      assert.equal(board.lastReset.cause, 2);
    } finally {
      await board.close();
    }
  }
});

Deno.test("init.lua: an error in a callback on current 3.x goes to the default onerror handler: traceback, restart 2 s later", async () => {
  const init = "tmr.create():alarm(50, tmr.ALARM_SINGLE, function() missing() end)\n";
  const { board, tap } = await bootWithInit(CURRENT, init);
  try {
    const report = "> init.lua:1: attempt to call global 'missing' (a nil value)\r\n" +
      "stack traceback:\r\n\tinit.lua:1: in function <init.lua:1>\r\n";
    await tap.until(report, 10_000);
    assert.doesNotMatch(tap.text, /PANIC/);
    tap.clear();
    await tap.until(report, 10_000);
    assert.match(
      tap.text,
      /\r\nNodeMCU 3\.0\.0\.0 /,
      "restarted (software) and ran init.lua again",
    );
    assert.equal(board.lastReset.kind, "software");
  } finally {
    await board.close();
  }
});
