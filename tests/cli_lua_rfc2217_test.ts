/**
 * The Lua-side commands against `nodeflash sim --rfc2217` run as a separate program, as a rack
 * reaches a remote board: an all-bytes file and a 20 KB Lua file up and back, 50 files synced
 * and one change synced again, tests, and a link that drops mid-upload (the sim's `disconnect`
 * fault) without harming the old file.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { allBytes, awkwardLua, nodemcuFlash } from "./support/lua_sim.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";
import { type SimProcess, spawnSim } from "./support/sim_process.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/lua/", import.meta.url));

async function withServedBoard(
  extra: string[],
  fn: (url: string, dir: string, sim: SimProcess) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/flash.bin`, nodemcuFlash());
    const sim = await spawnSim([
      "--rfc2217",
      "127.0.0.1:0",
      "--flash-file",
      `${dir}/flash.bin`,
      ...extra,
    ]);
    try {
      await fn(sim.url, dir, sim);
    } finally {
      await sim.stop();
    }
  });
}

function last(run: Awaited<ReturnType<typeof runCli>>): Record<string, unknown> {
  const r = run.json().at(-1)!;
  assert.equal(r.type, "result", run.stdout + run.stderr);
  return r;
}

Deno.test("rfc2217: every byte value and a 20 KB Lua file go up and come back unchanged", async () => {
  await withServedBoard([], async (url, dir) => {
    await Deno.writeFile(`${dir}/all.bin`, allBytes());
    await Deno.writeFile(`${dir}/awkward.lua`, awkwardLua());
    const up = await runCli(["upload", "-p", url, `${dir}/all.bin`, `${dir}/awkward.lua`]);
    assert.equal(up.code, 0, up.stderr);
    for (const name of ["all.bin", "awkward.lua"]) {
      const cat = await runCli(["cat", "-p", url, name, "-o", `${dir}/back-${name}`]);
      assert.equal(cat.code, 0, cat.stderr);
      assert.deepEqual(
        await Deno.readFile(`${dir}/back-${name}`),
        await Deno.readFile(`${dir}/${name}`),
      );
    }
  });
});

Deno.test("rfc2217: 50 files synced, then one changed file synced alone", async () => {
  await withServedBoard([], async (url, dir) => {
    await Deno.mkdir(`${dir}/src`);
    for (let i = 0; i < 50; i++) {
      await Deno.writeTextFile(
        `${dir}/src/f${String(i).padStart(2, "0")}.lua`,
        `return ${i * i}\n`,
      );
    }
    const first = await runCli(["sync", "-p", url, `${dir}/src`, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal((last(first).uploaded as unknown[]).length, 50);
    await Deno.writeTextFile(`${dir}/src/f17.lua`, "return 'changed'\n");
    const second = await runCli(["sync", "-p", url, `${dir}/src`, "--json"]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual((last(second).uploaded as { name: string }[]).map((u) => u.name), ["f17.lua"]);
    assert.equal((last(second).unchanged as unknown[]).length, 49);
  });
});

Deno.test("rfc2217: the link drops mid-upload, the old file stays, the same command completes", async () => {
  await withServedBoard(["--faults", "disconnect=40000"], async (url, dir) => {
    const big = new Uint8Array(60_000).map((_, i) => (i * 31) & 0xff);
    await Deno.writeTextFile(`${dir}/app.bin`, "version 1\n");
    // the first, small upload stays far below the fault's 40000 bytes
    const v1 = await runCli(["upload", "-p", url, `${dir}/app.bin`]);
    assert.equal(v1.code, 0, v1.stderr);
    await Deno.writeFile(`${dir}/app.bin`, big);
    const cut = await runCli(["upload", "-p", url, `${dir}/app.bin`, "--json"]);
    assert.equal(cut.code, 1, cut.stderr);
    const error = last(cut).error as Record<string, unknown>;
    assert.equal(error.code, "lua/upload-interrupted");
    const reached = error.reached as number;
    assert.ok(reached > 0 && reached < big.length, `reached ${reached}`);
    assert.match(String(error.message), new RegExp(`stopped after ${reached} of 60000 bytes`));

    const listing = await runCli(["files", "-p", url, "--json"]);
    assert.equal(listing.code, 0, listing.stderr);
    const files = last(listing).files as { name: string; size: number }[];
    assert.deepEqual(files.find((f) => f.name === "app.bin"), { name: "app.bin", size: 10 });

    const rerun = await runCli(["upload", "-p", url, `${dir}/app.bin`]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const back = await runCli(["cat", "-p", url, "app.bin", "-o", `${dir}/back.bin`]);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), big);
  });
});

Deno.test("rfc2217: a passing and a failing test file", async () => {
  await withServedBoard([], async (url) => {
    const run = await runCli([
      "test",
      "-p",
      url,
      `${FIXTURES}t_pass.lua`,
      `${FIXTURES}t_fail.lua`,
      "--json",
    ]);
    assert.equal(run.code, 1, run.stderr);
    const tests = last(run).tests as { name: string; status: string }[];
    assert.deepEqual(tests.map((t) => [t.name, t.status]), [
      ["adds", "pass"],
      ["concatenates", "pass"],
      ["adds", "pass"],
      ["subtracts", "fail"],
    ]);
  });
});
