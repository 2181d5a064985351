/**
 * The firmware's modules as C functions, through a booted board's console: what a script sees
 * when `file.open`, a timer's `alarm` or `uart.setup` refuses its arguments, in each Lua
 * version's words (`luaL_argerror`: the position of the calling code, the function's name as
 * the code called it, `self` not counted), and in tracebacks (one `[C]` frame for the module
 * function, 5.1's `in function 'open'`, NodeMCU 5.3's `in function 'file.open'` found through
 * its ROM tables or `in method 'alarm'`, then the C frames the firmware has below a console line:
 * `[C]: ?` twice on 5.1, `[C]: in ?` on 5.3, none on 2.x's front end). Expected text comes from
 * Lua 5.1.5/5.3.6's lauxlib.c and ldblib.c, NodeMCU's lua.c and pipe.c, and the field
 * transcripts in docs/boot-log.md, not from what the simulator prints.
 */

import assert from "node:assert/strict";
import { buildLfs53Image } from "./support/lfs53_image_builder.ts";
import { withNodemcu } from "./support/nodemcu_board.ts";

const MODULES = ["file", "node", "tmr", "uart"];
const V51 = { version: "3.0.0.0", modules: MODULES };
const V53 = { ...V51, lua: "5.3.6" };
const BOTTOM = { "5.1": "\t[C]: ?\r\n\t[C]: ?\r\n", "5.3": "\t[C]: in ?\r\n\t[C]: in ?\r\n" };

Deno.test("console: a module function's bad argument is luaL_argerror's, its frame one C frame (5.1 and 5.3)", async () => {
  for (const [lua, banner] of [["5.1", V51], ["5.3", V53]] as const) {
    await withNodemcu(async ({ run }) => {
      const name = (short: string, full: string) => lua === "5.1" ? `function '${short}'` : full;
      assert.equal(
        await run("file.open()"),
        "Lua error: \tstdin:1: bad argument #1 to 'open' (string expected, got no value)\r\n" +
          `stack traceback:\r\n\t[C]: in ${name("open", "function 'file.open'")}\r\n` +
          `\tstdin:1: in main chunk\r\n${BOTTOM[lua]}`,
      );
      // A method call does not count `self`: argument 2 of the C function is #1.
      assert.equal(
        await run('tmr.create():alarm("x")'),
        "Lua error: \tstdin:1: bad argument #1 to 'alarm' (number expected, got string)\r\n" +
          `stack traceback:\r\n\t[C]: in ${name("alarm", "method 'alarm'")}\r\n` +
          `\tstdin:1: in main chunk\r\n${BOTTOM[lua]}`,
      );
      assert.match(
        await run('local t = tmr.create() t.alarm(t, "x")'),
        /^Lua error: \tstdin:1: bad argument #2 to 'alarm' \(number expected, got string\)\r\n/,
        "called as a field, self counts",
      );
      assert.equal(
        await run("uart.setup()"),
        "Lua error: \tstdin:1: bad argument #1 to 'setup' (number expected, got no value)\r\n" +
          `stack traceback:\r\n\t[C]: in ${name("setup", "function 'uart.setup'")}\r\n` +
          `\tstdin:1: in main chunk\r\n${BOTTOM[lua]}`,
      );
      // Called by pcall (C), it has no name from code: 5.1 says '?', NodeMCU 5.3 finds one.
      assert.equal(
        await run("=pcall(file.open)"),
        `false\tbad argument #1 to '${
          lua === "5.1" ? "?" : "file.open"
        }' (string expected, got no value)\r\n`,
      );
      // A float where an integer is wanted: 5.1 truncates, 5.3 refuses.
      assert.equal(
        await run("=pcall(uart.setup, 0, 115200.5, 8, 0, 1)"),
        lua === "5.1"
          ? "true\t115200\r\n"
          : "false\tbad argument #2 to 'uart.setup' (number has no integer representation)\r\n",
      );
    }, { banner });
  }
});

Deno.test("console: a script's own debug.traceback() and debug.getinfo() see the firmware's stack", async () => {
  for (const [lua, banner] of [["5.1", V51], ["5.3", V53]] as const) {
    await withNodemcu(async ({ run }) => {
      assert.equal(
        await run('print(debug.traceback("here"))'),
        `here\r\nstack traceback:\r\n\tstdin:1: in main chunk\r\n${BOTTOM[lua]}`,
      );
      assert.equal(
        await run("function f() print(debug.traceback()) end f()"),
        "stack traceback:\r\n" +
          "\tstdin:1: in function 'f'\r\n" +
          `\tstdin:1: in main chunk\r\n${BOTTOM[lua]}`,
      );
      assert.equal(
        await run("=debug.getinfo(file.open).what, debug.getinfo(file.open, 'S').short_src"),
        "C\t[C]\r\n",
      );
      assert.equal(
        await run("=debug.getinfo(1, 'S').source, debug.getinfo(2, 'S').what, debug.getinfo(4)"),
        "=stdin\tC\tnil\r\n",
        "levels: the chunk, the stdin reader's C frame, then nothing beyond the pipe's",
      );
    }, { banner });
  }
});

Deno.test("console: an error inside a file dofile runs names the file's line; dofile is a C frame", async () => {
  await withNodemcu(async ({ board, run }) => {
    board.nodemcu!.fs!.write(
      "t.lua",
      new TextEncoder().encode('local x = {}\nfile.open("a", x)\n'),
    );
    assert.equal(
      await run('dofile("t.lua")'),
      "Lua error: \tt.lua:2: bad argument #2 to 'open' (string expected, got table)\r\n" +
        "stack traceback:\r\n\t[C]: in function 'open'\r\n\tt.lua:2: in main chunk\r\n" +
        `\t[C]: in function 'dofile'\r\n\tstdin:1: in main chunk\r\n${BOTTOM["5.1"]}`,
    );
  }, { banner: V51 });
});

Deno.test("console: a callback's error reaches node.setonerror's handler with the firmware's traceback", async () => {
  for (const [lua, banner] of [["5.1", V51], ["5.3", V53]] as const) {
    await withNodemcu(async ({ tap }) => {
      tap.clear();
      tap.type(
        'node.setonerror(function(s) print("E: " .. s) end) ' +
          "node.task.post(function() file.open() end)\r\n",
      );
      const text = await tap.until(/> E: stdin[^]*function <stdin:1>\r\n/);
      assert.match(
        text,
        new RegExp(
          "E: stdin:1: bad argument #1 to 'open' \\(string expected, got no value\\)\\r\\n" +
            "stack traceback:\\r\\n\\t\\[C\\]: in " +
            (lua === "5.1" ? "function 'open'" : "function 'file\\.open'") +
            "\\r\\n\\tstdin:1: in function <stdin:1>\\r\\n",
        ),
        "a task's callback is called from C: no name, and nothing below it",
      );
    }, { banner });
  }
});

Deno.test("console: node.LFS.reload on a 5.3 image: luaL_error's position and the C frame, then the restart", async () => {
  const banner = { ...V53, lfs: "0x20000 bytes total capacity" };
  await withNodemcu(async ({ board, tap }) => {
    board.nodemcu!.fs!.write("lfs.img", buildLfs53Image(["hello"], { time: 1 }));
    tap.clear();
    tap.type('node.LFS.reload("lfs.img")\r\n');
    assert.match(
      await tap.until(/\[C\]: in \?\r\n\t\[C\]: in \?\r\n/),
      /^node\.LFS\.reload\("lfs\.img"\)\r\nLua error: \tstdin:1: system restarting\r\nstack traceback:\r\n\t\[C\]: in field 'reload'\r\n\tstdin:1: in main chunk\r\n\t\[C\]: in \?\r\n\t\[C\]: in \?\r\n/,
    );
  }, { banner });
});

Deno.test("console: 2.x's front end: the same messages, nothing below the typed chunk", async () => {
  await withNodemcu(async ({ run }) => {
    assert.equal(
      await run("file.open()"),
      "stdin:1: bad argument #1 to 'open' (string expected, got no value)\r\n" +
        "stack traceback:\r\n\t[C]: in function 'open'\r\n\tstdin:1: in main chunk\r\n",
    );
  }, { banner: { version: "2.2.0.0", modules: MODULES } });
});
