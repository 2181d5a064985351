/**
 * `nodeflash flash --release OWNER/REPO@TAG --asset GLOB` against the fake GitHub (REST shapes
 * validated in its own tests) and the simulated board: the asset is found, downloaded,
 * digest-checked, cached and flashed; a glob that matches two assets or a wrong token stops
 * before any board is touched.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { FakeGitHub } from "./support/fake_github.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const TOKEN = "ghp_cliReleaseTestToken0000000000000000";
const float = buildNodemcuFirmware({ seed: 3, totalSize: 0x30000 }).combined;
const integer = buildNodemcuFirmware({ seed: 4, totalSize: 0x30000 }).combined;
const older = buildNodemcuFirmware({ seed: 5, totalSize: 0x30000 }).combined;

async function fake(): Promise<FakeGitHub> {
  return await FakeGitHub.start({
    token: TOKEN,
    releases: [
      { tag: "v0.9.0", assets: [{ name: "nodemcu-float.bin", bytes: older }] },
      {
        tag: "v1.0.0",
        assets: [
          { name: "nodemcu-release-float.bin", bytes: float },
          { name: "nodemcu-release-integer.bin", bytes: integer },
        ],
      },
    ],
  });
}

Deno.test("flash --release @latest and @tag: the right asset lands on the board, the second time from the cache", async () => {
  await using github = await fake();
  await withTempDir(async (dir) => {
    const env = { GITHUB_API_URL: github.apiUrl, GITHUB_TOKEN: TOKEN, XDG_CACHE_HOME: dir };
    const flashFile = `${dir}/board.bin`;
    const port = `sim://?flash-file=${flashFile}`;
    const latest = await runCli(
      [
        "flash",
        "-p",
        port,
        "--release",
        "nodemcu/nodemcu-firmware@latest",
        "--asset",
        "*-float.bin",
        "--json",
      ],
      env,
    );
    assert.equal(latest.code, 0, latest.stderr);
    const asset = latest.json().find((e) => e.type === "release-asset")!;
    assert.equal(asset.name, "nodemcu-release-float.bin");
    assert.equal(asset.fromCache, false);
    const board = await Deno.readFile(flashFile);
    assert.deepEqual(board.subarray(4, float.length), float.subarray(4), "the float build, at 0x0");
    const downloads = github.storageRequests.length;

    const again = await runCli(
      [
        "flash",
        "-p",
        port,
        "--release",
        "nodemcu/nodemcu-firmware@v1.0.0",
        "--asset",
        "*-float.bin",
        "--json",
      ],
      env,
    );
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().find((e) => e.type === "release-asset")!.fromCache, true);
    assert.equal(github.storageRequests.length, downloads, "no second download");
    const result = again.json().at(-1)!;
    const regions = result.regions as Array<Record<string, number>>;
    assert.equal(regions[0]!.bytesWritten, 0, "already on the chip: nothing written");

    const tagged = await runCli(
      ["flash", "-p", port, "--release", "nodemcu/nodemcu-firmware@v0.9.0", "--asset", "*.bin"],
      env,
    );
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.match(
      tagged.stderr,
      /Downloaded nodemcu-float\.bin \(196608 bytes, sha256 [0-9a-f]{64}\)/,
    );
    const now = await Deno.readFile(flashFile);
    assert.deepEqual(now.subarray(4, older.length), older.subarray(4));
  });
});

Deno.test("flash --release: an ambiguous glob and a wrong token are one-line errors, and the board is untouched", async () => {
  await using github = await fake();
  await withTempDir(async (dir) => {
    const flashFile = `${dir}/board.bin`;
    const port = `sim://?flash-file=${flashFile}`;
    const base = ["flash", "-p", port, "--release", "nodemcu/nodemcu-firmware@v1.0.0"];
    const env = { GITHUB_API_URL: github.apiUrl, XDG_CACHE_HOME: dir };

    const ambiguous = await runCli([...base, "--asset", "*.bin"], { ...env, GITHUB_TOKEN: TOKEN });
    assert.equal(ambiguous.code, 2, ambiguous.stderr);
    assert.match(ambiguous.stderr, /nodemcu-release-float\.bin/);
    assert.match(ambiguous.stderr, /nodemcu-release-integer\.bin/);

    const denied = await runCli([...base, "--asset", "*-float.bin", "--token", "ghp_wrong"], env);
    assert.equal(denied.code, 2, denied.stderr);
    assert.match(denied.stderr, /rejected the token/);
    assert.match(denied.stderr, /^hint: .*GITHUB_TOKEN/m);
    assert.doesNotMatch(denied.stderr, /ghp_wrong/, "the token is never printed");
    for (const run of [ambiguous, denied]) {
      assert.equal(run.stderr.split("\n").filter((l) => l.startsWith("error:")).length, 1);
      assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    }
    await assert.rejects(Deno.stat(flashFile), "the board was never opened");
  });
});

Deno.test("flash --release: an unwritable cache is release/cache-unwritable, before GitHub is asked", async () => {
  await using github = await fake();
  await withTempDir(async (dir) => {
    // A file where the cache folder should be: unwritable for every user, root included.
    await Deno.writeTextFile(`${dir}/cache`, "not a folder");
    const env = {
      GITHUB_API_URL: github.apiUrl,
      GITHUB_TOKEN: TOKEN,
      XDG_CACHE_HOME: `${dir}/cache`,
    };
    const run = await runCli(
      [
        "flash",
        "-p",
        "sim://",
        "--release",
        "nodemcu/nodemcu-firmware@latest",
        "--asset",
        "*-float.bin",
        "--json",
      ],
      env,
    );
    assert.equal(run.code, 2, run.stderr);
    const error = run.json().at(-1)!.error as { code: string; message: string; hint: string };
    assert.equal(error.code, "release/cache-unwritable");
    assert.match(
      error.message,
      new RegExp(`Cannot write the release cache ${dir}/cache/nodeflash`),
    );
    assert.match(error.hint, /XDG_CACHE_HOME/);
    assert.equal(github.apiRequests.length, 0, "GitHub was not asked");
  });
});
