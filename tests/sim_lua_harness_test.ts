/**
 * On-board tests on the simulated board as NodeMCU's own harness runs them (NTest with its TAP
 * output handler, docs/lua-side.md#ntest-and-tap): a small harness of our own
 * (tests/fixtures/lua/taptest.lua) with the same mechanisms (pcall, coroutines, node.task.post, tmr
 * alarms, node.setonerror), uploaded as files, loaded with require, its `TAP: ` lines read from the
 * console.
 */

import assert from "node:assert/strict";
import { withNodemcu } from "./support/nodemcu_board.ts";

const fixture = (name: string) =>
  Deno.readFileSync(new URL(`./fixtures/lua/${name}`, import.meta.url));

Deno.test("sim Lua harness: an uploaded TAP harness runs sync, async and coroutine tests and reports each", async () => {
  await withNodemcu(async (t) => {
    const fs = t.board.nodemcu!.fs!;
    assert.ok(fs.write("taptest.lua", fixture("taptest.lua")));
    assert.ok(fs.write("taptest_suite.lua", fixture("taptest_suite.lua")));
    t.tap.clear();
    t.tap.type('dofile("taptest_suite.lua")\r\n');
    const text = await t.tap.until(/TAP: POST 1\.\.\d+\r\n/, 10_000);
    const tap = [...text.matchAll(/^TAP: (.*)\r$/gm)].map((m) => m[1]);
    assert.deepEqual(tap, [
      "# STARTUP sim suite",
      "ok 1 arithmetic",
      "not ok 2 a failing assertion # taptest_suite.lua:6: one is not two",
      "ok 3 a timer ends it",
      "not ok 4 an error in a task fails it # taptest_suite.lua:13: in a task",
      "ok 5 a coroutine waits for a timer",
      "ok 6 binary file round trip",
      "POST 1..6",
    ]);
    // The board is still at its prompt afterwards.
    assert.equal(await t.run("=node.heap() > 0"), "true\r\n");
  }, { banner: { version: "3.0.0.0", modules: ["file", "node", "tmr", "uart"] } });
});
