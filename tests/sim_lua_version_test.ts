/**
 * The simulated board's Lua is the Lua its image's banner names, seen from the console as a host
 * sees it: typed lines, `=expr`, continuation prompts, error wording, binary chunks through
 * `dofile`, the watchdog; and an integer build is announced as not modelled.
 */
import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { SimBoard } from "../lib/sim/board.ts";
import { ConsoleTap, flashImage } from "../lib/sim/console_tap.ts";
import type { SimEvent } from "../lib/sim/sim_event.ts";

const MB = 1 << 20;

function firmware(lua: string, buildType: "float" | "integer" = "float") {
  return buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: "4MB",
    banner: { version: "3.0.0.0", lua, buildType, modules: ["file", "node", "tmr"] },
  });
}

/** Boots the image, waits for the prompt, and returns a `typed line -> reply` helper. */
async function boardWith(lua: string, buildType: "float" | "integer" = "float") {
  const events: SimEvent[] = [];
  const board = new SimBoard({
    flashContents: flashImage(4 * MB, firmware(lua, buildType).combined),
  });
  board.on((event) => events.push(event));
  const tap = new ConsoleTap(board);
  const boot = await tap.until("> ");
  const typed = async (line: string) => {
    tap.clear();
    tap.type(`${line}\r\n`);
    const text = await tap.until(/(^|\n)>{1,2} $/);
    assert.ok(text.startsWith(`${line}\r\n`), "echoed");
    return text.slice(line.length + 2);
  };
  return { board, tap, boot, typed, events };
}

Deno.test("sim console: a Lua 5.1.4 image runs Lua 5.1", async () => {
  const { board, boot, typed, events } = await boardWith("5.1.4");
  try {
    assert.match(boot, /powered by Lua 5\.1\.4 on SDK/);
    assert.equal(await typed("=_VERSION"), "Lua 5.1\r\n> ");
    assert.equal(await typed("=7/2, 10/2, 2^53"), "3.5\t5\t9.007199254741e+15\r\n> ");
    assert.equal(
      await typed("print(7 // 2)"),
      "Lua error: \tstdin:1: unexpected symbol near '/'\r\n> ",
    );
    assert.equal(await typed("goto x"), "Lua error: \tstdin:1: '=' expected near 'x'\r\n> ");
    assert.equal(
      await typed("=type(unpack), type(loadstring), type(setfenv), type(table.getn)"),
      "function\tfunction\tfunction\tfunction\r\n> ",
    );
    assert.equal(
      await typed("nope()"),
      "Lua error: \tstdin:1: attempt to call global 'nope' (a nil value)\r\n" +
        "stack traceback:\r\n\tstdin:1: in main chunk\r\n\t[C]: ?\r\n\t[C]: ?\r\n> ",
    );
    assert.equal(await typed("for i = 1, 2 do"), ">> ");
    assert.equal(await typed("print(i) end"), "1\r\n2\r\n> ");
    assert.equal(events.some((e) => e.type === "unmodelled"), false);
  } finally {
    await board.close();
  }
});

Deno.test("sim console: a Lua 5.3 image runs Lua 5.3", async () => {
  const { board, boot, typed } = await boardWith("5.3.6");
  try {
    assert.match(boot, /powered by Lua 5\.3\.6 on SDK/);
    assert.equal(await typed("=_VERSION"), "Lua 5.3\r\n> ");
    assert.equal(await typed("=7/2, 10/2, 7 // 2, math.type(1)"), "3.5\t5.0\t3\tinteger\r\n> ");
    assert.equal(await typed("=unpack, loadstring"), "nil\tnil\r\n> ");
    assert.equal(
      await typed("nope()"),
      "Lua error: \tstdin:1: attempt to call a nil value (global 'nope')\r\n" +
        "stack traceback:\r\n\tstdin:1: in main chunk\r\n\t[C]: in ?\r\n\t[C]: in ?\r\n> ",
    );
    assert.equal(await typed("x = [["), ">> ");
    assert.equal(await typed("]] =#x"), "Lua error: \tstdin:2: unexpected symbol near '='\r\n> ");
  } finally {
    await board.close();
  }
});

Deno.test("sim console: dofile runs a binary chunk the board compiled; a runaway line trips the watchdog", async () => {
  for (const lua of ["5.1.4", "5.3.6"]) {
    const { board, tap, typed } = await boardWith(lua);
    try {
      await typed(
        'f = file.open("x.lc", "w") f:write(string.dump(function() print("lc", 6*7) end)) f:close()',
      );
      assert.equal(await typed('dofile("x.lc")'), "lc\t42\r\n> ");
      tap.clear();
      tap.type("while true do end\r\n");
      // The ROM's lines come at 74880 (noise here); the firmware's banner at 115200 again.
      await tap.until(`powered by Lua ${lua}`, 10_000);
      assert.equal(board.lastReset.kind, "watchdog");
      await tap.until("> ");
      assert.equal(await typed("=1+1"), "2\r\n> ", `${lua}: a new VM after the restart`);
    } finally {
      await board.close();
    }
  }
});

Deno.test("sim console: an integer build runs on the float VM and says so in an event", async () => {
  const { board, typed, events } = await boardWith("5.1.4", "integer");
  try {
    const note = events.find((e) => e.type === "unmodelled");
    assert.ok(note?.type === "unmodelled" && /integer build/.test(note.detail));
    assert.equal(board.nodemcu?.image.numberType, "integer");
    assert.equal(await typed("=node.info('build_config').number_type"), "integer\r\n> ");
    assert.equal(await typed("=7/2"), "3.5\r\n> ", "not 3 as on the board: the documented gap");
  } finally {
    await board.close();
  }
});
