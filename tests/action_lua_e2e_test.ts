/**
 * The Action end to end with `lua-files` and `lua-tests` (tests/action_e2e_support.ts): two
 * simulated boards behind RFC 2217, a test that fails on one board only. The other board's run
 * is complete; the summary has a row per board and test file; the failing test is an
 * annotation at its file and line; each board has a JUnit file in `log-dir`.
 */

import assert from "node:assert/strict";
import { formatMac } from "../lib/protocol/mod.ts";
import { lab, records, spec } from "./action_e2e_lab.ts";
import { type ActionRunResult, cleanUp, runActionProcess } from "./action_e2e_support.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("action e2e: lua-files and lua-tests on two boards, one failing test on one board", async () => {
  const l = await lab([{ flashSize: "4MB", seed: 11 }, { flashSize: "4MB", seed: 12 }]);
  let run: ActionRunResult | undefined;
  try {
    const mac = formatMac(l.boards[1]!.board.options.mac).split(":");
    const chipId = parseInt(mac.slice(3).join(""), 16);
    run = await runActionProcess({
      ...spec(l, {
        firmware: "*-float.bin",
        ports: l.boards.map((b) => b.url).join("\n"),
        "flash-mode": "dio",
        "lua-files": "lua",
        "lua-tests": "tests/test_*.lua",
      }),
      workspaceFiles: {
        "lua/config.lua": text("return { rate = 5 }\n"),
        "tests/test_config.lua": text(
          'print("1..1")\nprint("ok 1 - the config loads # rate " .. dofile("config.lua").rate)\n',
        ),
        "tests/test_chip.lua": text(
          `print("1..1")\nif node.chipid() == ${chipId} then\n` +
            `  print("not ok 1 - chip check # test_chip.lua:3: this chip fails on purpose")\n` +
            `else\n  print("ok 1 - chip check")\nend\n`,
        ),
      },
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const [good, bad] = records(run);
    assert.equal(good?.["ok"], true, JSON.stringify(good));
    assert.equal(good?.["stage"], "done");
    const goodLua = good?.["lua"] as {
      uploaded: string[];
      tests: { name: string; status: string }[];
    };
    assert.deepEqual(goodLua.uploaded, ["config.lua"]);
    assert.deepEqual(goodLua.tests.map((t) => [t.name, t.status]), [
      ["chip check", "pass"],
      ["the config loads", "pass"],
    ]);
    assert.equal(bad?.["ok"], false);
    assert.equal(bad?.["stage"], "lua");
    assert.equal((bad?.["error"] as { code: string }).code, "lua/tests-failed");
    const badTests = (bad?.["lua"] as { tests: { name: string; status: string }[] }).tests;
    assert.deepEqual(badTests.map((t) => t.status), ["fail", "pass"], "all of its tests ran");

    // one summary row per board and test file
    for (const board of l.boards) {
      for (const file of ["tests/test_chip.lua", "tests/test_config.lua"]) {
        assert.match(run.summary, new RegExp(`<td>${board.url}</td><td>${file}</td>`));
      }
    }
    // the failing test is an annotation at its file and line
    const annotation = run.stdout.split("\n").find((line) => line.includes("chip check failed"));
    assert.ok(annotation, run.stdout);
    assert.match(annotation, /^::error title=.*,file=tests\/test_chip\.lua,line=3::/);
    assert.match(annotation, /this chip fails on purpose/);

    for (const r of [good, bad]) {
      const junit = await Deno.readTextFile(r?.["junit"] as string);
      assert.ok((r?.["junit"] as string).startsWith(run.outputs["log-dir"]!));
      assert.match(junit, /<testsuite name="test_chip.lua" tests="1" failures="[01]"/);
    }
  } finally {
    if (run) await cleanUp(run);
    await l.close();
  }
});
