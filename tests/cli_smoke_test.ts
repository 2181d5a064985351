/**
 * `nodeflash smoke` and `flash --smoke` through the CLI, against the simulated devkit: the exit
 * code, the words on stderr, the `--json` stream ending with one result object whose `ok` covers
 * the smoke test, and the serial log saved with `--log`.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { SimBoard } from "../lib/sim/board.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const MB = 1 << 20;
const FIRMWARE = buildNodemcuFirmware({
  totalSize: 0x40000,
  flashSize: "4MB",
  flashMode: "dio",
  banner: { version: "3.0.0.0", branch: "release", modules: ["file", "node", "tmr", "uart"] },
});

/** A board whose flash (a backing file) already holds `image` at 0x0. */
async function boardWith(dir: string, image: Uint8Array, size = 4 * MB): Promise<string> {
  const path = `${dir}/flash.bin`;
  await Deno.writeFile(path, flashImage(size, [[0, image]]));
  return path;
}

function lastResult(run: Awaited<ReturnType<typeof runCli>>): Record<string, unknown> {
  const lines = run.json();
  const last = lines.at(-1);
  assert.equal(last?.type, "result", run.stdout);
  assert.equal(lines.filter((l) => l.type === "result").length, 1, "one result object");
  return last!;
}

Deno.test("smoke --json on a board running NodeMCU: exit 0, banner fields in the result, the log saved", async () => {
  await withTempDir(async (dir) => {
    const flash = await boardWith(dir, FIRMWARE.combined);
    const log = `${dir}/serial.log`;
    const run = await runCli([
      "smoke",
      "-p",
      `sim://?flash-file=${flash}`,
      "--json",
      "--log",
      log,
      "--lua",
      "print(node.flashsize())",
      "--expect",
      "^4194304$",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = lastResult(run);
    assert.equal(result.ok, true);
    assert.equal(result.phase, "probed");
    const banner = result.banner as Record<string, unknown>;
    assert.equal(banner.version, "3.0.0.0");
    assert.equal(banner.branch, "release");
    assert.equal(banner.lua, "5.1.4");
    assert.deepEqual(result.userProbe, { ok: true, output: "4194304" });
    assert.deepEqual(result.rom, { rstCause: 2, bootMode: [3, 6] });
    assert.ok(
      run.json().some((e) => e.type === "smoke-phase" && e.phase === "prompt"),
      "phases are streamed before the result",
    );
    const saved = new TextDecoder("latin1").decode(await Deno.readFile(log));
    assert.match(saved, / ets Jan {2}8 2013,rst cause:2, boot mode:\(3,6\)\r\n/);
    assert.match(saved, /> print\(node\.flashsize\(\)\)\r\n4194304\r\n> $/);
  });
});

Deno.test("smoke on a board that cannot boot its image: exit 1, the diagnosis and its hint on stderr", async () => {
  await withTempDir(async (dir) => {
    // A DIO image on an ESP8285, whose flash is wired for DOUT only: the ROM cannot read it.
    const dio = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "1MB", flashMode: "dio" });
    const flash = await boardWith(dir, dio.combined, MB);
    const url = `sim://?module=esp8285&flash-file=${flash}`;
    const words = await runCli(["smoke", "-p", url]);
    assert.equal(words.code, 1, words.stderr);
    assert.match(words.stderr, /^error: Smoke test failed \(reached: rom\): .*csum err/m);
    assert.match(words.stderr, /^hint: .*--flash-mode dout/m);
    assert.doesNotMatch(words.stderr, /\n\s+at /, "no stack trace");

    const json = await runCli(["smoke", "-p", url, "--json"]);
    assert.equal(json.code, 1);
    const result = lastResult(json);
    assert.equal(result.ok, false);
    assert.equal((result.diagnosis as Record<string, unknown>).code, "smoke/bad-image");
  });
});

Deno.test("smoke on a board whose init.lua fails but reaches the prompt: exit 0 and a warning naming the error", async () => {
  await withTempDir(async (dir) => {
    // The firmware formats its file system at power-up; init.lua goes in, and the flash is kept.
    const board = new SimBoard({ flashContents: flashImage(4 * MB, FIRMWARE.combined) });
    await board.idle();
    board.nodemcu!.fs!.write("init.lua", new TextEncoder().encode("local t = nil\nt.x = 1\n"));
    const flash = `${dir}/flash.bin`;
    await Deno.writeFile(flash, board.flash.read(0, 4 * MB));
    await board.close();
    const url = `sim://?flash-file=${flash}`;
    const words = await runCli(["smoke", "-p", url]);
    assert.equal(words.code, 0, words.stderr);
    assert.match(words.stderr, /^Smoke test passed: /m);
    assert.match(
      words.stderr,
      /^warning: NodeMCU on sim:\S* reached its Lua prompt, but init\.lua failed: init\.lua:2: attempt to index local 't' \(a nil value\)$/m,
    );
    assert.match(words.stderr, /^hint: Fix init\.lua/m);

    const json = await runCli(["smoke", "-p", url, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(json.json().some((e) => e.type === "warning" && e.code === "smoke/init-lua-failed"));
    const result = lastResult(json);
    assert.equal(result.ok, true);
    const [warning] = result.warnings as Record<string, unknown>[];
    assert.equal(warning?.code, "smoke/init-lua-failed");
  });
});

Deno.test("flash --smoke: the result's ok covers the smoke test, and a failed user probe exits 1", async () => {
  await withTempDir(async (dir) => {
    const image = `${dir}/nodemcu.bin`;
    await Deno.writeFile(image, FIRMWARE.combined);
    const flash = `${dir}/flash.bin`;
    const pass = await runCli([
      "flash",
      "-p",
      `sim://?flash-file=${flash}`,
      image,
      "--smoke",
      "--json",
    ]);
    assert.equal(pass.code, 0, pass.stderr);
    const ok = lastResult(pass);
    assert.equal(ok.ok, true);
    assert.equal((ok.smoke as Record<string, unknown>).ok, true);
    assert.equal((ok.smoke as Record<string, unknown>).phase, "probed");
    assert.ok(Array.isArray(ok.regions) && ok.regions.length > 0, "the flash part is reported");

    // The same board again, with a user check the board's answer does not meet.
    const fail = await runCli([
      "flash",
      "-p",
      `sim://?flash-file=${flash}`,
      image,
      "--smoke",
      "--lua",
      "print(node.flashsize())",
      "--expect",
      "^1048576$",
      "--json",
    ]);
    assert.equal(fail.code, 1, fail.stderr);
    const bad = lastResult(fail);
    assert.equal(bad.ok, false);
    const smoke = bad.smoke as Record<string, unknown>;
    assert.deepEqual(smoke.userProbe, { ok: false, output: "4194304" });
    assert.equal((smoke.diagnosis as Record<string, unknown>).code, "smoke/user-probe-failed");
  });
});

Deno.test("smoke options without --smoke on flash, or half a user probe, are one-line usage errors", async () => {
  for (
    const [args, message] of [
      [["flash", "-p", "sim://", "x.bin", "--lua", "print(1)", "--expect", "1"], /--smoke/],
      [["smoke", "-p", "sim://", "--expect", "1"], /--expect needs --lua/],
      [["smoke", "-p", "sim://", "--lua", "print(1)"], /--lua needs --expect/],
      [["smoke", "-p", "sim://", "--lua", "print(1)", "--expect", "("], /not a valid regular/],
    ] as const
  ) {
    const run = await runCli([...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.equal(run.stderr.trim().split("\n").filter((l) => l.startsWith("error:")).length, 1);
  }
});

Deno.test("demo: flashes, skips the unchanged image the second time, and ends with a passing smoke test", async () => {
  const run = await runCli(["demo", "--json"]);
  assert.equal(run.code, 0, run.stderr);
  const result = lastResult(run);
  const rounds = result.rounds as Array<{ regions: Array<Record<string, number>> }>;
  assert.equal(rounds.length, 2);
  assert.ok(rounds[0]!.regions.every((r) => r.bytesWritten === r.size));
  assert.ok(rounds[1]!.regions.every((r) => r.bytesWritten === 0 && r.bytesSkipped === r.size));
  const smoke = result.smoke as Record<string, unknown>;
  assert.equal(smoke.ok, true, JSON.stringify(smoke.diagnosis));
  assert.equal(smoke.phase, "probed");
  assert.equal(result.ok, true);
});

Deno.test("demo: ends by printing what to try next, on a board that keeps its flash", async () => {
  await withTempDir(async (dir) => {
    const board = `sim://?flash-file=${dir}/board.bin`;
    const run = await runCli(["demo", "--port", board]);
    assert.equal(run.code, 0, run.stderr);
    const next = run.stderr.slice(run.stderr.indexOf("\nNext:\n"));
    assert.match(
      next,
      /nodeflash flash --port \/dev\/ttyUSB0 nodemcu\.bin --smoke +# the same job on a real board/,
    );
    assert.match(
      next,
      /nodeflash monitor --port "sim:\/\/\?flash-file=board\.bin" +# \.\.\.and its Lua prompt/,
    );
    assert.match(next, /nodeflash upload init\.lua --port "sim:\/\/\?flash-file=board\.bin" +# /);
    assert.match(next, /nodeflash test my_test\.lua --port "sim:\/\/\?flash-file=board\.bin" +# /);
    assert.match(
      next,
      /examples\/pr-check-simulated\.yml, docs\/action\.md +# the same in a GitHub workflow/,
    );
    // The board the demo flashed keeps NodeMCU: a smoke test on it passes without flashing.
    const smoke = await runCli(["smoke", "--port", board, "--json"]);
    assert.equal(smoke.code, 0, smoke.stderr);
    // ...and the Lua steps it suggests work on it as printed
    await Deno.writeTextFile(`${dir}/init.lua`, 'print("hello")\n');
    await Deno.writeTextFile(`${dir}/my_test.lua`, 'print("1..1")\nprint("ok 1 - runs")\n');
    const upload = await runCli(["upload", `${dir}/init.lua`, "--port", board]);
    assert.equal(upload.code, 0, upload.stderr);
    const test = await runCli(["test", `${dir}/my_test.lua`, "--port", board]);
    assert.equal(test.code, 0, test.stderr);
    assert.match(test.stderr, /1 passed, 0 failed/);
  });
});
