/**
 * The Action end to end, as the runner runs it (tests/action_e2e_support.ts): a `release`
 * event, the fake GitHub API on 127.0.0.1, and simulated boards behind RFC 2217 servers.
 * Checked on the boards themselves (their flash, read back through the simulator) and on what
 * the runner sees (exit code, outputs, job summary, annotations, masked token).
 */

import assert from "node:assert/strict";
import { formatMac } from "../lib/protocol/mod.ts";
import {
  assertFlashed,
  assertTokenMasked,
  FIRMWARE,
  INIT_DATA,
  type Lab,
  lab,
  records,
  spec,
  TOKEN,
} from "./action_e2e_lab.ts";
import {
  type ActionRunResult,
  cleanUp,
  errorCommands,
  filesUnder,
  runActionProcess,
} from "./action_e2e_support.ts";

/** The first run's outputs, summary, logs and requests. */
async function assertFirstRun(l: Lab, run: ActionRunResult): Promise<void> {
  assert.equal(run.code, 0, run.stdout + run.stderr);
  for (const board of l.boards) assertFlashed(board, INIT_DATA);
  assert.equal(run.outputs["release-tag"], "v1.0.0");
  assert.equal(run.outputs["firmware-name"], "nodemcu-v1.0.0-float.bin");
  assert.equal(run.outputs["firmware-sha256"], l.github.asset("nodemcu-v1.0.0-float.bin").sha256);
  const results = records(run);
  assert.deepEqual(results.map((r) => r["port"]), l.boards.map((b) => b.url));
  results.forEach((r, i) => {
    const board = l.boards[i]!.board;
    assert.equal(r["ok"], true);
    assert.equal(r["stage"], "done");
    assert.equal(r["chip"], "ESP8266EX");
    assert.equal(r["mac"], formatMac(board.options.mac));
    assert.equal(r["flashBytes"], board.flash.size);
    assert.equal(r["bytesWritten"], FIRMWARE.length + INIT_DATA.length);
    assert.equal(r["smoke"], null);
  });
  const logs = await filesUnder(run.outputs["log-dir"]!);
  assert.equal(logs.length, 4, "a log and a serial capture per board");
  const firstLog = results[0]!["log"] as string;
  assert.match(await Deno.readTextFile(firstLog), /verify nodemcu-v1\.0\.0-float\.bin: ok/);
  for (const board of l.boards) assert.ok(run.summary.includes(board.url), "a row per board");
  assert.match(run.summary, /<table>/);
  assert.match(run.summary, /nodemcu\/nodemcu-firmware v1\.0\.0, 2 of 2 boards ok/);
  assertTokenMasked(run);
  const sent = new Set(l.github.apiRequests.map((r) => r.authorization?.replace(/^\w+ /, "")));
  assert.deepEqual([...sent], [TOKEN], "every API request carried the token");
  assert.ok(
    l.github.storageRequests.every((r) => r.authorization === null),
    "storage never sees it",
  );
}

Deno.test("action e2e: a release event flashes two boards over RFC 2217 with its asset and init data", async () => {
  const l = await lab([{ flashSize: "4MB", seed: 1 }, { flashSize: "1MB", seed: 2 }]);
  const runs: ActionRunResult[] = [];
  try {
    const w = {
      firmware: "*-float.bin",
      "init-data": "esp_init_data_*.bin",
      ports: l.boards.map((b) => b.url).join("\n"),
      "flash-mode": "dio",
      smoke: "false",
    };
    runs.push(await runActionProcess(spec(l, w)));
    await assertFirstRun(l, runs[0]!);
    // The same release again: nothing to write, the asset comes from the runner's cache. The
    // boards run their new firmware; the Action's reset takes them back into the loader.
    const again = await runActionProcess({ ...spec(l, w), toolCache: runs[0]!.toolCache });
    runs.push(again);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /using the cached copy/);
    for (const r of records(again)) {
      assert.equal(r["bytesWritten"], 0);
      assert.equal(r["bytesSkipped"], FIRMWARE.length + INIT_DATA.length);
    }
  } finally {
    await Promise.all(runs.map(cleanUp));
    await l.close();
  }
});

Deno.test("action e2e: a board that cannot be reached fails the step; the other is still flashed", async () => {
  const l = await lab([{ flashSize: "4MB", seed: 3 }]);
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const deadPort = `rfc2217://127.0.0.1:${closed.addr.port}`;
  closed.close();
  let run: ActionRunResult | undefined;
  try {
    run = await runActionProcess(spec(l, {
      firmware: "*-float.bin",
      ports: `${deadPort}\n${l.boards[0]!.url}`,
      "flash-mode": "dio",
      smoke: "false",
    }));
    assert.equal(run.code, 1);
    assertFlashed(l.boards[0]!, undefined);
    const [dead, alive] = records(run);
    assert.equal(dead?.["ok"], false);
    assert.equal(dead?.["stage"], "open");
    assert.equal(alive?.["ok"], true);
    const errors = errorCommands(run.stdout);
    const annotation = errors.find((e) => e.title?.startsWith(`nodeflash: ${deadPort} failed`));
    assert.ok(annotation, JSON.stringify(errors));
    assert.match(annotation.message, /127\.0\.0\.1/);
    assert.ok(
      errors.some((e) => e.message.startsWith("1 of 2 boards failed")),
      JSON.stringify(errors),
    );
    assert.match(run.summary, /1 of 2 boards ok/);
  } finally {
    if (run) await cleanUp(run);
    await l.close();
  }
});

Deno.test({
  name: "action e2e: both boards pass the smoke test",
  async fn() {
    const l = await lab([{ flashSize: "4MB", seed: 4 }, { flashSize: "4MB", seed: 5 }]);
    let run: ActionRunResult | undefined;
    try {
      run = await runActionProcess(spec(l, {
        firmware: "*-float.bin",
        "init-data": "default",
        ports: l.boards.map((b) => b.url).join("\n"),
        "flash-mode": "dio",
        lua: "print(1+1)",
        expect: "^2$",
      }));
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (const r of records(run)) {
        assert.equal(r.smoke?.["ok"], true);
        assert.equal(r.smoke?.["phase"], "probed");
        assert.deepEqual((r.smoke?.["probe"] as { ok: boolean })?.ok, true);
      }
      assert.match(run.summary, /passed: NodeMCU/);
    } finally {
      if (run) await cleanUp(run);
      await l.close();
    }
  },
});

Deno.test({
  name:
    "action e2e: a board that cannot boot the image fails the step with its diagnosis; the other passes",
  async fn() {
    // An ESP8285 in the rack: its flash is wired for DOUT only, so the DIO image written to both
    // boards is unreadable at boot on that one (csum err), as in the field.
    const l = await lab([{ flashSize: "4MB", seed: 6 }, { module: "esp8285", seed: 7 }]);
    let run: ActionRunResult | undefined;
    try {
      run = await runActionProcess(spec(l, {
        firmware: "*-float.bin",
        ports: l.boards.map((b) => b.url).join("\n"),
        "flash-mode": "dio",
      }));
      assert.equal(run.code, 1);
      for (const board of l.boards) assertFlashed(board, undefined);
      const [good, crashed] = records(run);
      assert.equal(good?.["ok"], true);
      assert.equal(crashed?.["ok"], false);
      const diagnosis = crashed?.smoke?.["diagnosis"] as {
        code: string;
        message: string;
        hint: string;
      };
      assert.equal(diagnosis.code, "smoke/bad-image");
      assert.match(diagnosis.hint, /dout/);
      const annotation = errorCommands(run.stdout).find((e) => e.title?.includes(l.boards[1]!.url));
      assert.ok(annotation);
      assert.ok(
        annotation.message.includes(diagnosis.message) &&
          annotation.message.includes(diagnosis.hint),
      );
      const serial = await Deno.readTextFile(crashed?.["serialLog"] as string);
      assert.match(serial, /csum err/);
    } finally {
      if (run) await cleanUp(run);
      await l.close();
    }
  },
});

/** Runs the Action with a fault and checks: the step fails naming `code`, no board touched, no file left. */
async function assertFailsBeforeBoards(
  setUp: (l: Lab) => void,
  w: Record<string, string>,
  code: string,
  options: { verifiedInCache?: string; noRequests?: boolean } = {},
): Promise<void> {
  const l = await lab([{ flashSize: "1MB", seed: 9 }]);
  const touched: string[] = [];
  const stop = l.boards[0]!.board.on((event) => {
    if (event.type === "host") touched.push(event.type);
  });
  setUp(l);
  let run: ActionRunResult | undefined;
  try {
    run = await runActionProcess(spec(l, { ports: l.boards[0]!.url, smoke: "false", ...w }));
    assert.equal(run.code, 1, run.stdout);
    const errors = errorCommands(run.stdout);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.ok(errors[0]!.message.includes(`[${code}]`), errors[0]!.message);
    assert.deepEqual(touched, [], "no board was connected to");
    assert.equal(l.boards[0]!.board.flash.stats.programs, 0);
    assert.deepEqual(await filesUnder(run.runnerTemp), [], "no file left in RUNNER_TEMP");
    // the cache may keep only a complete, verified entry (the file and its entry.json)
    const cached = (await filesUnder(run.toolCache)).map((f) => f.slice(f.lastIndexOf("/") + 1));
    const complete = options.verifiedInCache === undefined
      ? []
      : [options.verifiedInCache, "entry.json"];
    assert.deepEqual(cached.sort(), complete.sort(), "no partial file left in the cache");
    assert.deepEqual(run.outputs, {});
    if (options.noRequests) assert.deepEqual(l.github.apiRequests, [], "GitHub was not asked");
    assertTokenMasked(run);
  } finally {
    stop();
    if (run) await cleanUp(run);
    await l.close();
  }
}

Deno.test("action e2e: download failures stop the Action before any board is touched", async (t) => {
  await t.step("digest mismatch", async () => {
    await assertFailsBeforeBoards(
      (l) => {
        const asset = l.github.release("v1.0.0").assets.find((a) => a.name.endsWith("-float.bin"))!;
        asset.digestField = `sha256:${"0".repeat(64)}`;
      },
      { firmware: "*-float.bin" },
      "release/digest-mismatch",
    );
  });
  await t.step("no matching asset", async () => {
    await assertFailsBeforeBoards(
      () => {},
      { release: "v1.0.0", firmware: "*-double.bin" },
      "release/no-matching-asset",
    );
  });
  await t.step("missing release", async () => {
    await assertFailsBeforeBoards(
      () => {},
      { release: "v9.9.9", firmware: "*-float.bin" },
      "release/not-found",
    );
  });
  await t.step("exhausted rate limit", async () => {
    await assertFailsBeforeBoards(
      (l) => {
        const reset = Math.floor(Date.now() / 1000) + 3600;
        l.github.inject("api", { kind: "primary-rate-limit", resetEpochSeconds: reset }, {
          times: 20,
        });
      },
      { release: "latest", firmware: "*-float.bin" },
      "release/rate-limited",
    );
  });
  await t.step("a bad input, before anything is downloaded", async () => {
    await assertFailsBeforeBoards(
      () => {},
      { firmware: "*-float.bin", baud: "fast" },
      "input/baud",
      {
        noRequests: true,
      },
    );
  });
  await t.step("a bad init-data download after a good firmware download", async () => {
    await assertFailsBeforeBoards(
      (l) => {
        const asset = l.github.release("v1.0.0").assets.find((a) =>
          a.name.startsWith("esp_init_data")
        )!;
        asset.digestField = `sha256:${"1".repeat(64)}`;
      },
      { firmware: "*-float.bin", "init-data": "esp_init_data_*.bin" },
      "release/digest-mismatch",
      {
        verifiedInCache: "nodemcu-v1.0.0-float.bin",
      },
    );
  });
});
