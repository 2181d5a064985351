/**
 * The board commands through the CLI against simulated boards whose flash is a backing file
 * (`sim://?flash-file=PATH`), so each test can look at the flash afterwards: `erase`,
 * `erase-region`, `read`, `backup` / `restore`, `flash --erase all`; their exit codes and `--json`
 * streams (events, then one result object). Also: the blank.bin advice is the same in every
 * help text and the README, and it erases the system parameter sectors.
 */

import assert from "node:assert/strict";
import { COMMANDS } from "../lib/cli/commands.ts";
import { commandHelp } from "../lib/cli/help.ts";
import { buildImage } from "../lib/testing/build_image.ts";
import { type CliRun, runCli, withTempDir } from "./support/run_cli.ts";

const MB = 1 << 20;
const SECTOR = 0x1000;

/** Bytes that are neither 0xFF nor repetitive (xorshift32), so an erase always shows. */
function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A board whose flash (a backing file of `size` bytes) holds `contents`. */
async function board(dir: string, contents: Uint8Array, name = "flash.bin") {
  const path = `${dir}/${name}`;
  await Deno.writeFile(path, contents);
  const size = contents.length >= MB ? `${contents.length / MB}MB` : `${contents.length >> 10}KB`;
  return {
    url: `sim://?flash-size=${size}&flash-file=${encodeURIComponent(path)}`,
    flash: () => Deno.readFile(path),
  };
}

/** The run's one result object, last on stdout. */
function resultOf(run: CliRun): Record<string, unknown> {
  const lines = run.json();
  assert.equal(lines.at(-1)?.type, "result", run.stdout);
  assert.equal(lines.filter((l) => l.type === "result").length, 1, "one result object");
  return lines.at(-1)!;
}

const isErased = (bytes: Uint8Array) => bytes.every((b) => b === 0xff);

/** Every progress event carries a rate no lower than the whole command's average. */
function checkProgressRates(run: CliRun, wallSeconds: number): void {
  const progress = run.json().filter((e) => e.type === "progress");
  assert.ok(progress.length > 0, "progress events");
  for (const e of progress) {
    const { done, rate } = e as { done: number; rate: number };
    assert.equal(typeof rate, "number", JSON.stringify(e));
    assert.ok(Number.isFinite(rate) && rate > 0, `a rate: ${JSON.stringify(e)}`);
    // the operation ran inside the command, so its rate is at least done / the command's time
    assert.ok(rate >= Math.floor(done / wallSeconds), `${rate} >= ${done} / ${wallSeconds} s`);
  }
}

async function timed(args: string[]): Promise<{ run: CliRun; seconds: number }> {
  const started = performance.now();
  const run = await runCli(args);
  return { run, seconds: (performance.now() - started) / 1000 };
}

Deno.test("erase: exit 0, the warning is a JSON event, the whole flash reads 0xFF after", async () => {
  await withTempDir(async (dir) => {
    const b = await board(dir, noise(MB, 1));
    const run = await runCli(["erase", "-p", b.url, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const events = run.json();
    const warning = events.findIndex((e) => e.type === "warning");
    assert.ok(warning >= 0, "a warning event");
    assert.equal(events[warning]!.code, "erase/lua-files-lost");
    assert.match(String(events[warning]!.message), /Lua files/);
    assert.ok(
      warning < events.findIndex((e) => e.type === "erase"),
      "the warning comes before the erase",
    );
    const result = resultOf(run);
    assert.equal(result.ok, true);
    assert.equal(result.erased, "all");
    assert.ok(isErased(await b.flash()), "every byte erased");
  });
});

Deno.test("erase-region: only the region is erased; a misaligned address is a usage error", async () => {
  await withTempDir(async (dir) => {
    const before = noise(MB, 2);
    const b = await board(dir, before);
    const misaligned = await runCli(["erase-region", "-p", b.url, "0x3800", "0x1000"]);
    assert.equal(misaligned.code, 2, misaligned.stderr);
    assert.match(misaligned.stderr, /0x00003800 is not a multiple of 0x1000/);
    assert.deepEqual(await b.flash(), before, "nothing touched");

    const run = await runCli(["erase-region", "-p", b.url, "0x3000", "0x2000", "--json"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(resultOf(run).erased, { address: 0x3000, size: 0x2000 });
    const after = await b.flash();
    assert.ok(isErased(after.subarray(0x3000, 0x5000)), "the region is erased");
    assert.deepEqual(after.subarray(0, 0x3000), before.subarray(0, 0x3000), "before it");
    assert.deepEqual(after.subarray(0x5000), before.subarray(0x5000), "after it");

    const past = await runCli(["erase-region", "-p", b.url, "0xff000", "0x2000"]);
    assert.equal(past.code, 2, past.stderr);
    assert.match(past.stderr, /runs past the end of the flash/);
  });
});

Deno.test("read ADDRESS SIZE FILE: the file equals that slice of the flash; progress has a rate", async () => {
  await withTempDir(async (dir) => {
    const contents = noise(MB, 3);
    const b = await board(dir, contents);
    const out = `${dir}/slice.bin`;
    const { run, seconds } = await timed(["read", "-p", b.url, "0x11000", "0x2345", out, "--json"]);
    assert.equal(run.code, 0, run.stderr);
    const result = resultOf(run);
    assert.equal(result.ok, true);
    assert.equal(result.address, 0x11000);
    assert.equal(result.size, 0x2345);
    assert.deepEqual(await Deno.readFile(out), contents.subarray(0x11000, 0x11000 + 0x2345));
    checkProgressRates(run, seconds);
  });
});

Deno.test("backup, erase, restore: the board ends with the same bytes", async () => {
  await withTempDir(async (dir) => {
    const contents = noise(MB, 4);
    contents.fill(0xff, 0x40000, 0x50000); // a 64 KiB block the restore finds in place
    const b = await board(dir, contents);
    const saved = `${dir}/backup.bin`;
    const backup = await runCli(["backup", "-p", b.url, saved, "--json"]);
    assert.equal(backup.code, 0, backup.stderr);
    assert.equal(resultOf(backup).size, MB);
    assert.deepEqual(await Deno.readFile(saved), contents);

    assert.equal((await runCli(["erase", "-p", b.url, "--quiet"])).code, 0);
    assert.ok(isErased(await b.flash()));

    const restore = await runCli(["restore", "-p", b.url, saved, "--json"]);
    assert.equal(restore.code, 0, restore.stderr);
    const [region, ...more] = resultOf(restore).regions as Array<Record<string, unknown>>;
    assert.equal(more.length, 0);
    assert.equal(region!.address, 0);
    assert.equal(region!.size, MB);
    assert.equal(region!.verified, true);
    assert.equal(
      (region!.bytesWritten as number) + (region!.bytesSkipped as number),
      MB,
      "every byte written or found in place",
    );
    assert.ok((region!.bytesSkipped as number) >= 0x10000, JSON.stringify(region));
    assert.deepEqual(await b.flash(), contents, "the same bytes as before");
  });
});

Deno.test("restore: a missing or empty file is a usage error, found before the port is opened", async () => {
  await withTempDir(async (dir) => {
    const empty = `${dir}/empty.bin`;
    await Deno.writeFile(empty, new Uint8Array());
    const port = ["-p", "/dev/nodeflash-test-no-such-port"];
    const missing = await runCli(["restore", ...port, `${dir}/nope.bin`]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no such file/);
    const none = await runCli(["restore", ...port, empty]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /empty\.bin is empty/);
  });
});

Deno.test("flash --erase all: the warning is a JSON event, the old content outside the image is gone", async () => {
  await withTempDir(async (dir) => {
    const b = await board(dir, noise(MB, 5));
    const image = buildImage({ segments: [{ address: 0x40100000, data: noise(0x1800, 6) }] });
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(fw, image);
    const { run, seconds } = await timed([
      "flash",
      "-p",
      b.url,
      "--erase",
      "all",
      "--flash-size",
      "keep",
      fw,
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const events = run.json();
    const warning = events.find((e) => e.type === "warning");
    assert.equal(warning?.code, "erase/lua-files-lost", run.stdout);
    assert.match(String(warning?.message), /--erase all/);
    const result = resultOf(run);
    assert.equal(result.ok, true);
    const [region] = result.regions as Array<Record<string, unknown>>;
    assert.equal(region!.bytesWritten, image.length, "nothing skipped after an erase");
    assert.equal(region!.verified, true);
    checkProgressRates(run, seconds);
    const after = await b.flash();
    assert.deepEqual(after.subarray(0, image.length), image);
    assert.ok(isErased(after.subarray(image.length)), "everything else erased");
  });
});

Deno.test("flash --erase all says so on stderr without --json too", async () => {
  await withTempDir(async (dir) => {
    const b = await board(dir, noise(MB, 7));
    const fw = `${dir}/fw.bin`;
    await Deno.writeFile(
      fw,
      buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(64) }] }),
    );
    const run = await runCli(["flash", "-p", b.url, "--erase", "all", fw]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^warning: --erase all: .*Lua files/m);
    assert.equal(run.stdout, "");
  });
});

// -- the blank.bin advice ---------------------------------------------------------------------

const README = new URL("../README.md", import.meta.url);
const helpOf = (name: string) => commandHelp(COMMANDS.find((c) => c.name === name)!);

/** The `erase-region ADDRESS SIZE` commands a text gives, as numbers. */
function eraseRegionCommands(text: string): Array<[number, number]> {
  return [...text.matchAll(/erase-region (0x[0-9a-f]+) (0x[0-9a-f]+)/gi)].map((m) => [
    Number(m[1]),
    Number(m[2]),
  ]);
}

Deno.test("blank.bin advice: flash help, erase-region help and the README agree", async () => {
  const texts = {
    "flash --help": helpOf("flash"),
    "erase-region --help": helpOf("erase-region"),
    "README.md": await Deno.readTextFile(README),
  };
  for (const [where, raw] of Object.entries(texts)) {
    const text = raw.replaceAll("−", "-").replace(/\s+/g, " ");
    assert.match(text, /blank\.bin/, where);
    assert.match(text, /system parameters/, where);
    assert.match(text, /size - 0x3000/, `${where}: the area starts at size - 0x3000`);
    const commands = eraseRegionCommands(text);
    assert.ok(
      commands.some(([a, s]) => a === 0x3fd000 && s === 0x3000),
      `${where}: the 4 MB command`,
    );
    for (const [address, size] of commands) {
      assert.equal(size, 0x3000, `${where}: three sectors`);
      const flashSize = address + size;
      assert.ok([512 << 10, MB, 2 * MB, 4 * MB].includes(flashSize), `${where}: ${address}`);
    }
  }
});

Deno.test("blank.bin advice: the 4 MB command erases exactly the last three sectors", async () => {
  await withTempDir(async (dir) => {
    const before = noise(4 * MB, 8);
    const b = await board(dir, before);
    const [address, size] = eraseRegionCommands(helpOf("erase-region"))
      .find(([a]) => a === 0x3fd000)!;
    const run = await runCli([
      "erase-region",
      "-p",
      b.url,
      `0x${address.toString(16)}`,
      `0x${size.toString(16)}`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const after = await b.flash();
    assert.ok(isErased(after.subarray(4 * MB - 3 * SECTOR)), "the system parameter sectors");
    assert.deepEqual(
      after.subarray(0, 4 * MB - 3 * SECTOR),
      before.subarray(0, 4 * MB - 3 * SECTOR),
    );
  });
});
