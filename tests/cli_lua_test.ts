/**
 * The Lua-side commands through the CLI, against simulated boards kept in a flash file between
 * runs (each run opens the port anew, as a user does): exit codes, the `--json` stream ending
 * with one result object, files written with `-o` and `--junit`.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { nodemcuFlash } from "./support/lua_sim.ts";
import { buildLfs51Image } from "./support/lfs_image_builder.ts";
import { compileLua51 } from "./support/lua51_compile.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/lua/", import.meta.url));

async function board(dir: string): Promise<string> {
  await Deno.writeFile(`${dir}/flash.bin`, nodemcuFlash());
  return `sim://?flash-file=${dir}/flash.bin`;
}

function result(run: Awaited<ReturnType<typeof runCli>>): Record<string, unknown> {
  const lines = run.json();
  assert.equal(lines.filter((l) => l.type === "result").length, 1, run.stdout);
  assert.equal(lines.at(-1)?.type, "result");
  return lines.at(-1)!;
}

Deno.test("upload, files --json, run, rm: a session of a user at the desk", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    await Deno.writeTextFile(`${dir}/hello.lua`, 'print("hello from " .. "the board")\n');
    await Deno.writeTextFile(`${dir}/data.txt`, "x".repeat(700));
    const up = await runCli([
      "upload",
      "-p",
      port,
      `${dir}/hello.lua`,
      `${dir}/data.txt`,
      "--json",
    ]);
    assert.equal(up.code, 0, up.stderr);
    const upResult = result(up);
    assert.deepEqual((upResult.files as { name: string }[]).map((f) => f.name), [
      "hello.lua",
      "data.txt",
    ]);
    assert.ok(up.json().some((e) => e.type === "progress"), "progress events");

    const files = await runCli(["files", "-p", port, "--json"]);
    assert.equal(files.code, 0, files.stderr);
    assert.deepEqual(result(files).files, [{ name: "data.txt", size: 700 }, {
      name: "hello.lua",
      size: 36,
    }]);
    const human = await runCli(["files", "-p", port]);
    assert.match(
      human.stdout,
      /^ 700 {2}data\.txt\n {2}36 {2}hello\.lua\n2 files; \d+ of \d+ bytes used/,
    );

    const run = await runCli(["run", "-p", port, "hello.lua"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "hello from the board\n");

    const renamed = await runCli(["upload", "-p", port, `${dir}/hello.lua`, "--to", "init2.lua"]);
    assert.equal(renamed.code, 0, renamed.stderr);
    const rm = await runCli(["rm", "-p", port, "data.txt", "init2.lua", "--json"]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.deepEqual(result(rm).removed, ["data.txt", "init2.lua"]);
    const again = await runCli(["rm", "-p", port, "data.txt"]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^error: Not on the board .*: data\.txt\nhint: /m);
  });
});

Deno.test("run: a Lua error exits 1 with the board's message", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    await Deno.writeTextFile(`${dir}/bad.lua`, "local x = nil\nprint(x.y)\n");
    assert.equal((await runCli(["upload", "-p", port, `${dir}/bad.lua`])).code, 0);
    const run = await runCli(["run", "-p", port, "bad.lua"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: bad\.lua failed on .*bad\.lua:2: attempt to index/m);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

Deno.test("run: a file that is not on the board exits 2 saying so, not as a Lua error", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    const run = await runCli(["run", "-p", port, "missing.lua", "--json"]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^error: missing\.lua is not on the board /m);
    assert.match(run.stderr, /^hint: nodeflash files lists what is there/m);
    assert.doesNotMatch(run.stderr, /cannot open|Fix the Lua error/);
    assert.deepEqual((result(run).error as Record<string, unknown>).code, "lua/no-such-file");
  });
});

Deno.test("sync: a second run with one change uploads that file only", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    await Deno.mkdir(`${dir}/src/lib`, { recursive: true });
    for (let i = 0; i < 4; i++) await Deno.writeTextFile(`${dir}/src/m${i}.lua`, `return ${i}\n`);
    await Deno.writeTextFile(`${dir}/src/lib/u.lua`, "return 'u'\n");
    const first = await runCli(["sync", "-p", port, `${dir}/src`, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal((result(first).uploaded as unknown[]).length, 5);
    await Deno.writeTextFile(`${dir}/src/m2.lua`, "return 9\n");
    const second = await runCli(["sync", "-p", port, `${dir}/src`, "--json"]);
    const r = result(second);
    assert.deepEqual((r.uploaded as { name: string }[]).map((u) => u.name), ["m2.lua"]);
    assert.deepEqual(r.unchanged, ["lib/u.lua", "m0.lua", "m1.lua", "m3.lua"]);
  });
});

Deno.test("test: exit 0 when all pass, 1 with the failing test named; --json tests and --junit", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    const pass = await runCli(["test", "-p", port, `${FIXTURES}t_pass.lua`]);
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stderr, /2 passed, 0 failed, 0 skipped/);
    // the board's output is shown, nodeflash's own end-of-file marker line is not
    assert.match(pass.stderr + pass.stdout, /ok 1 /);
    assert.doesNotMatch(pass.stderr + pass.stdout, /nf\|\d+\|/);

    const junit = `${dir}/results.xml`;
    const fail = await runCli([
      "test",
      "-p",
      port,
      `${FIXTURES}t_pass.lua`,
      `${FIXTURES}t_fail.lua`,
      "--json",
      "--junit",
      junit,
    ]);
    assert.equal(fail.code, 1, fail.stderr);
    const r = result(fail);
    assert.equal(r.ok, false);
    assert.deepEqual((r.tests as Record<string, unknown>[]).at(-1), {
      file: "t_fail.lua",
      name: "subtracts",
      status: "fail",
      message: "t_fail.lua:3: expected 1, got 2",
      location: { file: "t_fail.lua", line: 3 },
    });
    assert.ok(fail.json().some((e) => e.type === "test" && e.status === "fail"), "streamed");
    assert.match(
      await Deno.readTextFile(junit),
      /<testsuite name="t_fail.lua" tests="2" failures="1"/,
    );

    const words = await runCli(["test", "-p", port, `${FIXTURES}t_fail.lua`]);
    assert.equal(words.code, 1);
    assert.match(
      words.stderr,
      /^ {2}FAIL t_fail\.lua: subtracts: t_fail\.lua:3: expected 1, got 2$/m,
    );
  });
});

Deno.test("flash --then-upload --then-test: the rack's job in one command", async () => {
  await withTempDir(async (dir) => {
    const image = `${dir}/nodemcu.bin`;
    // the firmware part of a flash image made for the simulated board (its first 256 KiB)
    await Deno.writeFile(image, nodemcuFlash().slice(0, 0x40000));
    await Deno.mkdir(`${dir}/app`);
    await Deno.writeTextFile(`${dir}/app/config.lua`, "return { rate = 5 }\n");
    await Deno.mkdir(`${dir}/tests`);
    await Deno.copyFile(`${FIXTURES}t_pass.lua`, `${dir}/tests/t_pass.lua`);
    await Deno.copyFile(`${FIXTURES}t_fail.lua`, `${dir}/tests/t_fail.lua`);
    const port = `sim://?flash-file=${dir}/flash.bin`;
    const ok = await runCli([
      "flash",
      "-p",
      port,
      image,
      "--then-upload",
      `${dir}/app`,
      "--then-test",
      `${dir}/tests/t_pass.lua`,
      "--json",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const r = result(ok);
    const lua = r.lua as Record<string, unknown>;
    assert.deepEqual(lua.uploaded, ["config.lua"]);
    assert.deepEqual((lua.tests as { status: string }[]).map((t) => t.status), ["pass", "pass"]);
    assert.ok(Array.isArray(r.regions));

    const failing = await runCli([
      "flash",
      "-p",
      port,
      image,
      "--then-test",
      `${dir}/tests/t_*.lua`,
    ]);
    assert.equal(failing.code, 1, failing.stderr);
    assert.match(failing.stderr, /FAIL t_fail\.lua: subtracts/);

    const bad = await runCli([
      "flash",
      "-p",
      port,
      image,
      "--then-test",
      `${dir}/tests/none_*.lua`,
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /No file matches/);
  });
});

Deno.test("lfs IMAGE on a Lua 5.1 board: the result lists the modules now in LFS", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/flash.bin`, nodemcuFlash({ lfs: "0x20000 bytes total capacity" }));
    const port = `sim://?flash-file=${dir}/flash.bin`;
    const image = buildLfs51Image([{ name: "app.lua", source: "return 42" }], {
      compile: compileLua51,
    });
    await Deno.writeFile(`${dir}/lfs.img`, image);
    const run = await runCli(["lfs", "-p", port, `${dir}/lfs.img`, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const r = result(run);
    assert.deepEqual(r.modules, ["app"]);
    assert.ok((r.messages as string[]).includes("LFS region updated.  Restarting."));
    await Deno.writeTextFile(`${dir}/check.lua`, 'print(node.LFS.get("app")())\n');
    assert.equal((await runCli(["upload", "-p", port, `${dir}/check.lua`])).code, 0);
    const check = await runCli(["run", "-p", port, "check.lua"]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.stdout, "42\n", "the module is in LFS for the next session too");
  });
});

Deno.test("upload --console-baud 460800: both ends move for the transfer and come back", async () => {
  await withTempDir(async (dir) => {
    const port = await board(dir);
    const data = new Uint8Array(6000).map((_, i) => (i * 97) & 0xff);
    await Deno.writeFile(`${dir}/blob.bin`, data);
    const run = await runCli([
      "upload",
      "-p",
      port,
      `${dir}/blob.bin`,
      "--console-baud",
      "460800",
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const bauds = run.json().filter((e) => e.type === "console-baud").map((e) => e.baud);
    assert.deepEqual(bauds, [460800, 115200]);
    const back = await runCli(["cat", "-p", port, "blob.bin", "-o", `${dir}/back.bin`]);
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), data);
  });
});
