/**
 * The smoke test against the simulated ESP8266: a board whose ROM talks at 74880 and whose
 * NodeMCU (a real Lua VM behind NodeMCU's console rules) talks at 115200 through a bit-level UART
 * model, reset by DTR/RTS through the devkit's circuit. Every failure here is produced by what the
 * simulated board does with the flash it was given (a mode the module cannot read, a missing IROM
 * part, missing init data, an init.lua that loops or fails...), not by a script of what it prints.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware, type NodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import type { BoardOptions } from "../lib/sim/board_options.ts";
import { openSimTransport } from "../lib/sim/open_sim_transport.ts";
import { runSmokeTest, type SmokeResult, type SmokeTestOptions } from "../lib/smoke/smoke.ts";
import type { SmokeEvent } from "../lib/smoke/smoke_event.ts";

const MB = 1 << 20;
const BANNER = {
  version: "3.0.0.0",
  branch: "release",
  commit: "d4ae3c364bd8ae3ded8b77d35745b7f07879f5f9",
  ssl: true,
  modules: ["file", "gpio", "net", "node", "tmr", "uart", "wifi"],
} as const;

function firmware(options: Parameters<typeof buildNodemcuFirmware>[0] = {}): NodemcuFirmware {
  return buildNodemcuFirmware({
    totalSize: 0x40000,
    flashSize: "4MB",
    flashMode: "dio",
    banner: { ...BANNER, modules: [...BANNER.modules] },
    ...options,
  });
}

const GOOD = firmware();
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

interface Run {
  result: SmokeResult;
  events: SmokeEvent[];
  text: string;
  board: SimBoard;
}

/**
 * Powers up a simulated devkit with `contents` in its flash, lets it do what it does at power-up
 * (boot NodeMCU, format its file system...), runs `prepare`, then the smoke test.
 */
async function smoke(
  contents: Uint8Array | undefined,
  options: {
    board?: BoardOptions;
    prepare?: (board: SimBoard) => void | Promise<void>;
    smoke?: SmokeTestOptions;
  } = {},
): Promise<Run> {
  const transport = await openSimTransport("sim://", {
    board: { ...(contents ? { flashContents: contents } : {}), ...options.board },
  });
  const board = transport.board;
  try {
    await board.idle();
    await options.prepare?.(board);
    const events: SmokeEvent[] = [];
    const result = await runSmokeTest(transport, {
      ...options.smoke,
      onEvent: (e) => {
        events.push(e);
        options.smoke?.onEvent?.(e);
      },
    });
    return { result, events, text: latin1(result.log), board };
  } finally {
    await transport.close();
  }
}

/** Writes `init.lua` into the running firmware's file system. */
function withInitLua(source: string) {
  return (board: SimBoard) => {
    const fs = board.nodemcu?.fs;
    assert.ok(fs, "the firmware is up with a file system");
    assert.ok(fs.write("init.lua", new TextEncoder().encode(source)));
  };
}

function assertFailure(run: Run, code: string, hint: RegExp, inMessage = false): void {
  const { result } = run;
  assert.equal(result.ok, false, run.text);
  assert.equal(result.diagnosis?.code, code, `${result.diagnosis?.message}\n${run.text}`);
  assert.match(inMessage ? result.diagnosis!.message : result.diagnosis!.hint ?? "", hint);
}

Deno.test("smoke on the sim: a good image passes, the banner's fields parsed, the nonce probe answered", async () => {
  const run = await smoke(flashImage(4 * MB, GOOD.combined));
  const { result } = run;
  assert.equal(result.ok, true, `${result.diagnosis?.message}\n${run.text}`);
  assert.equal(result.phase, "probed");
  assert.deepEqual(result.rom, { rstCause: 2, bootMode: [3, 6] }, "an EN reset into the firmware");
  assert.equal(result.banner?.version, "3.0.0.0");
  assert.equal(result.banner?.branch, "release");
  assert.equal(result.banner?.commit, BANNER.commit);
  assert.equal(result.banner?.ssl, true);
  assert.deepEqual(result.banner?.modules, [...BANNER.modules]);
  assert.equal(result.banner?.lua, "5.1.4");
  assert.match(result.banner?.sdk ?? "", /^3\.0\./);
  assert.equal(result.formatDots, undefined, "the file system was formatted at power-up");
  assert.ok(typeof result.heap === "number" && result.heap > 0, `heap ${result.heap}`);
  assert.ok(result.timings.promptMs! >= result.timings.bannerMs!);
  // The board really ran the probe: the Lua it was sent is in its echo, with the answer after.
  const probe = /\r\n> (print\(.*\))\r\n(.*)\r\n> $/.exec(run.text);
  assert.ok(probe, run.text);
  assert.ok(probe[2]?.endsWith(`|${result.heap}`), `the heap came from the board: ${probe[2]}`);
  assert.match(run.text, / ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)\r\n/);
});

Deno.test("smoke on the sim: first boot formats the file system (no byte sent during it), then passes", async () => {
  // Slow erases (150 ms a sector, in real time) leave 2.4 s between dots: longer than the smoke
  // test's nudge timer. Eight bytes typed during the format would stop Lua from ever starting.
  const fw = firmware({ totalSize: 0xe0000, flashSize: "1MB" });
  const run = await smoke(flashImage(1 * MB, fw.combined), {
    // Freshly flashed: powered up in download mode, so the smoke test's reset is its first boot.
    board: {
      flashSize: "1MB",
      bootMode: "download",
      pace: "realtime",
      timing: { sectorEraseUs: 150_000 },
    },
  });
  const { result } = run;
  assert.equal(result.ok, true, `${result.diagnosis?.message}\n${run.text}`);
  assert.match(run.text, /Formatting file system\. Please wait\.\.\.\r\n\.+/);
  assert.ok((result.formatDots ?? 0) >= 1, `dots: ${result.formatDots}`);
  assert.ok(run.events.some((e) => e.type === "format-progress"));
  assert.ok(run.board.nodemcu?.fs, "formatted and mounted");
});

Deno.test("smoke on the sim: a DIO image on an ESP8285 (DOUT only) is csum err, with the flash-mode hint", async () => {
  const run = await smoke(flashImage(1 * MB, firmware({ flashSize: "1MB" }).combined), {
    board: { module: "esp8285" },
  });
  assertFailure(run, "smoke/bad-image", /--flash-mode dout on ESP8285/);
  assert.match(run.text, /csum err\r\nets_main\.c/);
});

Deno.test("smoke on the sim: erased flash is ets_main.c: nothing at 0x0", async () => {
  const run = await smoke(undefined);
  assertFailure(run, "smoke/empty-flash", /write the firmware at 0x0/);
  assert.equal(run.result.phase, "rom");
});

Deno.test("smoke on the sim: old firmware without init data reboots on rf_cal[0], with the init-data hint", async () => {
  const old = firmware({ banner: { version: "1.5.4.1" } });
  const run = await smoke(flashImage(4 * MB, old.combined));
  assertFailure(run, "smoke/no-init-data", /--init-data default/);
  assert.match(run.text, /rf_cal\[0\] !=0x05,is 0xFF/);
});

Deno.test("smoke on the sim: an init.lua that never yields is a watchdog reset loop (rst cause:4)", async () => {
  const run = await smoke(flashImage(4 * MB, GOOD.combined), {
    prepare: withInitLua("while true do end\n"),
  });
  assertFailure(run, "smoke/watchdog-reset", /trips the watchdog/);
  assert.match(run.text, /rst cause:4, boot mode:\(3,6\)\r\n\r\nwdt reset/);
  assert.ok(
    run.events.some((e) => e.type === "baud" && e.baud === 74880 && /reset cause/.test(e.reason)),
    "the loop was seen at 115200; the ROM's rate was taken again to read why",
  );

  // An adapter that cannot do 74880 sees only the banner repeating: a boot loop, cause unknown.
  const blind = await smoke(flashImage(4 * MB, GOOD.combined), {
    prepare: withInitLua("while true do end\n"),
    smoke: { rom: "skip" },
  });
  assertFailure(blind, "smoke/boot-loop", /power supply/);
  assert.doesNotMatch(blind.text, /wdt reset/);
});

Deno.test("smoke on the sim: a split build without 0x10000.bin is a Fatal exception loop", async () => {
  const [low] = GOOD.parts;
  const run = await smoke(flashImage(4 * MB, [[low.address, low.data]]));
  assertFailure(run, "smoke/fatal-exception", /Fatal exception 0 \(IllegalInstruction/, true);
  assert.match(run.result.diagnosis!.hint!, /0x10000\.bin/);
});

Deno.test("smoke on the sim: an init.lua that fails on 3.x still reaches the prompt: a pass, with a warning naming the error", async () => {
  const run = await smoke(flashImage(4 * MB, GOOD.combined), {
    prepare: withInitLua('print("init", tmr.now() >= 0)\nlocal n = node.heap()\nmissing(n)\n'),
  });
  const { result } = run;
  assert.equal(result.ok, true, `${result.diagnosis?.message}\n${run.text}`);
  assert.equal(result.phase, "probed");
  assert.match(
    run.text,
    /init\.lua:3: attempt to call global 'missing' \(a nil value\)\r\nstack traceback:\r\n\tinit\.lua:3: in main chunk\r\n\t\[C\]: \?\r\n> /,
  );
  assert.equal(result.warnings.length, 1);
  const [warning] = result.warnings;
  assert.equal(warning!.code, "smoke/init-lua-failed");
  assert.match(
    warning!.message,
    /reached its Lua prompt, but init\.lua failed: init\.lua:3: attempt to call global 'missing' \(a nil value\)$/, // a Lua 5.1.4 image
  );
  assert.deepEqual((await smoke(flashImage(4 * MB, GOOD.combined))).result.warnings, []);
});

Deno.test("smoke on the sim: 2.x prints init.lua's error as `lua: …` and goes on: a pass with the warning", async () => {
  const old = firmware({ banner: { version: "2.2.0.0", modules: ["file", "node", "tmr"] } });
  const run = await smoke(flashImage(4 * MB, old.combined), {
    prepare: withInitLua("x x\n"),
  });
  assert.equal(run.result.ok, true, `${run.result.diagnosis?.message}\n${run.text}`);
  assert.match(run.text, /\r\nlua: init\.lua:1: '=' expected near 'x'\r\n> /);
  assert.match(
    run.result.warnings[0]?.message ?? "",
    /init\.lua failed: init\.lua:1: '=' expected/,
  );
});

Deno.test("smoke on the sim: a callback init.lua sets up failing on 2.x is a PANIC loop; the message is the Lua error", async () => {
  const old = firmware({ banner: { version: "2.2.0.0", modules: ["file", "node", "tmr"] } });
  const run = await smoke(flashImage(4 * MB, old.combined), {
    prepare: withInitLua("tmr.alarm(0, 1, tmr.ALARM_SINGLE, function() missing() end)\n"),
  });
  assertFailure(
    run,
    "smoke/init-lua-error",
    /callback.*init\.lua:1: attempt to call global 'missing' \(a nil value\)/,
    true,
  );
  assert.match(run.result.diagnosis!.message, /the firmware works, the script does not/);
  assert.match(run.result.diagnosis!.hint!, /file\.remove\("init\.lua"\)/);
});

Deno.test("smoke on the sim: the FLASH button held at reset is boot mode (1,x): download mode", async () => {
  const run = await smoke(flashImage(4 * MB, GOOD.combined), {
    prepare: (board) => board.flashButton("down"),
  });
  assertFailure(run, "smoke/download-mode", /Release the FLASH\/BOOT button and DTR/);
  assert.match(run.text, /boot mode:\(1,7\)/);
});

Deno.test("smoke on the sim: GPIO15 pulled high is SDIO mode (7,x), waiting for host: the wiring hint", async () => {
  const run = await smoke(flashImage(4 * MB, GOOD.combined), { board: { gpio15High: true } });
  assertFailure(run, "smoke/gpio15-high", /Pull GPIO15 low/);
  assert.match(run.text, /boot mode:\(7,\d\)\r\n\r\nwaiting for host/);
  assert.equal(run.board.nodemcu, undefined, "the firmware never ran");
});

Deno.test("smoke on the sim: a board without a reset circuit that is not running anything is silence", async () => {
  const run = await smoke(undefined, {
    board: { reset: "manual" },
    smoke: { timing: { bootTimeoutMs: 3000 } },
  });
  assertFailure(run, "smoke/silent", /powered/);
  assert.equal(run.result.phase, "silent");
});

Deno.test("smoke on the sim: a 4 MB header on a 1 MB chip cannot format its file system", async () => {
  const run = await smoke(flashImage(1 * MB, GOOD.combined), { board: { flashSize: "1MB" } });
  assertFailure(run, "smoke/format-failed", /--flash-size detect/);
  assert.match(run.text, /\*\*\* ERROR \*\*\*: unable to format/);
});

Deno.test("smoke on the sim: listening at the wrong console rate is never a pass", async () => {
  for (const consoleBaud of [74880, 230400]) {
    const run = await smoke(flashImage(4 * MB, GOOD.combined), {
      smoke: { consoleBaud, timing: { bootTimeoutMs: 4000, nudgeAfterMs: 1000 } },
    });
    assert.equal(run.result.ok, false, `${consoleBaud}: ${run.text}`);
    assert.notEqual(run.result.phase, "probed");
    assertFailure(run, "smoke/console-unreadable", /NodeMCU: 115200/);
    assert.match(run.result.diagnosis!.message, new RegExp(`unreadable at ${consoleBaud} baud`));
    assert.doesNotMatch(run.text, /NodeMCU 3\.0\.0\.0/, `${consoleBaud}: the banner is noise`);
  }
});

Deno.test("smoke on the sim: a user probe passes and fails as its regex says", async () => {
  const contents = flashImage(4 * MB, GOOD.combined);
  const lua = 'print("size", node.flashsize())';
  const pass = await smoke(contents, { smoke: { lua, expect: /^size\t4194304$/m } });
  assert.equal(pass.result.ok, true, `${pass.result.diagnosis?.message}\n${pass.text}`);
  assert.deepEqual(pass.result.userProbe?.ok, true);
  assert.match(pass.result.userProbe!.output, /size\t4194304/);

  const fail = await smoke(contents, { smoke: { lua, expect: /^size\t1048576$/m } });
  assertFailure(fail, "smoke/user-probe-failed", /./);
  assert.equal(fail.result.userProbe?.ok, false);
  assert.match(fail.result.userProbe!.output, /size\t4194304/, "the board's real answer is kept");
  assert.equal(fail.result.phase, "probed", "the built-in probes passed");
});

Deno.test("smoke on the sim: a board without a reset circuit: press-reset, the user presses RESET, it passes", async () => {
  let board: SimBoard | undefined;
  const run = await smoke(flashImage(4 * MB, GOOD.combined), {
    board: { reset: "manual" },
    prepare: (b) => void (board = b),
    smoke: {
      reset: "manual",
      onEvent: (e) => {
        if (e.type !== "press-reset") return;
        setTimeout(() => {
          board!.resetButton("down");
          setTimeout(() => board!.resetButton("up"), 50);
        }, 200);
      },
    },
  });
  assert.equal(run.result.ok, true, `${run.result.diagnosis?.message}\n${run.text}`);
  assert.ok(run.events.some((e) => e.type === "press-reset"));
  assert.equal(run.board.lastReset.kind, "external");
});
