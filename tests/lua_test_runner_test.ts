/**
 * On-board tests against the simulated board: plain TAP and NTest (through a stand-in NTest
 * uploaded with `with`), a failing test named with its message and source line, a file that
 * restarts the board, and one that never finishes; the files after a restart or a timeout
 * still run.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { junitXml, readLocalFile, runTests } from "../lib/lua/mod.ts";
import { luaSim } from "./support/lua_sim.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/lua/", import.meta.url));
const fixture = (name: string) => readLocalFile(`${FIXTURES}${name}`);

Deno.test("plain TAP: a passing file, and a failing one named with its message and line", async () => {
  const sim = await luaSim();
  try {
    const results = await runTests(sim.session, [
      await fixture("t_pass.lua"),
      await fixture("t_fail.lua"),
    ]);
    assert.deepEqual(results.map((f) => f.file), ["t_pass.lua", "t_fail.lua"]);
    assert.deepEqual(results[0]!.tests.map((t) => [t.name, t.status, t.message]), [
      ["adds", "pass", ""],
      ["concatenates", "pass", "ab"],
    ]);
    const failed = results[1]!.tests.find((t) => t.status === "fail");
    assert.equal(failed?.name, "subtracts");
    assert.equal(failed?.message, "t_fail.lua:3: expected 1, got 2");
    assert.deepEqual(failed?.location, { file: "t_fail.lua", line: 3 });
    assert.match(junitXml(results), /<failure message="t_fail.lua:3: expected 1, got 2">/);
  } finally {
    await sim.close();
  }
});

Deno.test("NTest: the shim turns its events into TAP, asynchronous tests included", async () => {
  const sim = await luaSim();
  try {
    const [result] = await runTests(sim.session, [await fixture("t_ntest.lua")], {
      with: [await fixture("NTest.lua")],
    });
    assert.deepEqual(result!.tests.map((t) => [t.name, t.status]), [
      ["adds", "pass"],
      ["waits a turn", "pass"],
      ["compares", "fail"],
    ]);
    assert.match(result!.tests[2]!.message, /t_ntest\.lua:5: one is not two/);
    assert.match(result!.output, /TAP: POST 1\.\.3/);
  } finally {
    await sim.close();
  }
});

Deno.test("a file that restarts the board fails with the console excerpt; the next file still runs", async () => {
  const sim = await luaSim();
  try {
    const results = await runTests(sim.session, [
      await fixture("t_restart.lua"),
      await fixture("t_pass.lua"),
    ]);
    const restart = results[0]!.tests.find((t) => t.name === "(restart)");
    assert.equal(restart?.status, "fail");
    assert.match(restart?.message ?? "", /restarted/);
    assert.ok(sim.events.some((e) => e.type === "restart"));
    assert.deepEqual(results[1]!.tests.map((t) => t.status), ["pass", "pass"]);
  } finally {
    await sim.close();
  }
});

Deno.test("a file that never finishes times out, the board is reset, the next file runs", async () => {
  const sim = await luaSim();
  try {
    const results = await runTests(sim.session, [
      await fixture("t_forever.lua"),
      await fixture("t_pass.lua"),
    ], { timeoutMs: 1500 });
    assert.deepEqual(results[0]!.tests.map((t) => [t.name, t.status]), [
      ["the first of two", "pass"],
      ["(timeout)", "fail"],
    ]);
    assert.match(results[0]!.tests[1]!.message, /ok 1 - the first of two/, "the excerpt");
    assert.deepEqual(results[1]!.tests.map((t) => t.status), ["pass", "pass"]);
  } finally {
    await sim.close();
  }
});
