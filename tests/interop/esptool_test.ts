/**
 * esptool v4.8.1 (an independent client nobody here wrote) against the simulator's RFC 2217
 * server, started in-process. Each test runs esptool as an external program and checks both
 * what esptool prints and what the simulated flash holds.
 *
 * The boards are NodeMCU devkits: they power up booting their firmware, and esptool's default
 * reset (`--before default_reset`: its classic DTR/RTS sequence over RFC 2217) goes through the
 * simulated two-transistor circuit into ROM download mode, as on a real devkit. `--after
 * no_reset` makes esptool end with FLASH_END(0), which reboots the legacy stub back into the ROM
 * loader; `--after hard_reset` (esptool's default) pulses RTS and the board boots what was
 * written, up to NodeMCU's Lua prompt.
 *
 * Skips, saying why, when /usr/bin/python3, pyserial or esptool is missing.
 */

import { readUntil } from "../support/read_until.ts";
import assert from "node:assert/strict";
import { esptoolTestEnv, findEsptool } from "../support/esptool.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { type BoardOptions, type SimServer, startSimServer } from "../../lib/sim/mod.ts";
import { openRfc2217 } from "../../lib/transport/rfc2217.ts";

const where = await findEsptool();
const skip = "skip" in where ? where.skip : undefined;
// deno-lint-ignore no-console -- the suite says why it skips
if (skip !== undefined) console.log(`esptool interop tests skipped: ${skip}`);

interface Run {
  code: number;
  out: string;
}

async function esptool(server: SimServer, ...args: string[]): Promise<Run> {
  const before = args[0] === "--before" ? [] : ["--before", "default_reset"];
  if ("skip" in where) throw new Error(where.skip);
  const result = await new Deno.Command(where.python, {
    args: [where.path, "--chip", "esp8266", "--port", server.url, ...before, ...args],
    env: await esptoolTestEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: result.code, out: text(result.stdout) + text(result.stderr) };
}

async function ok(server: SimServer, ...args: string[]): Promise<string> {
  const run = await esptool(server, ...args);
  assert.equal(run.code, 0, `esptool ${args.join(" ")} failed:\n${run.out}`);
  return run.out;
}

async function withServer(
  options: BoardOptions,
  fn: (server: SimServer, dir: string) => Promise<void>,
): Promise<void> {
  const server = await startSimServer({ kind: "rfc2217", boardOptions: options });
  const dir = await Deno.makeTempDir({ prefix: "nodeflash-esptool-" });
  try {
    await fn(server, dir);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Flash filled with a pattern, so over-erasing and stray writes show. */
function patterned(size: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i >>> 12) & 0xff ^ 0x5a);
}

function erasedSectors(server: SimServer): number[] {
  return [...server.board.flash.eraseCounts()].flatMap((n, i) => (n > 0 ? [i] : []));
}

function opsUsed(server: SimServer): Set<string> {
  return new Set(server.board.log.entries.map((r) => `${r.loader}:${r.name}`));
}

/** The cases; they run concurrently (each esptool run mostly waits), two cores are plenty. */
const CASES: Array<{ name: string; fn: () => Promise<void> }> = [];
const test = (name: string, fn: () => Promise<void>) => CASES.push({ name, fn });

test("esptool chip_id, read_mac and flash_id report the configured board", () =>
  withServer({ mac: "5c:cf:7f:12:34:56", flashSize: "2MB" }, async (server) => {
    const chip = await ok(server, "--after", "no_reset", "chip_id");
    assert.match(chip, /Chip is ESP8266EX/);
    assert.match(chip, /Crystal is 26MHz/);
    assert.match(chip, /Chip ID: 0x00123456/);
    assert.match(chip, /Stub running/);
    assert.equal(server.board.state, "download", "FLASH_END(0) rebooted the stub into the ROM");
    assert.match(await ok(server, "--after", "no_reset", "read_mac"), /MAC: 5c:cf:7f:12:34:56/);
    const id = await ok(server, "--after", "no_reset", "flash_id");
    assert.match(id, /Manufacturer: ef/);
    assert.match(id, /Device: 4015/);
    assert.match(id, /Detected flash size: 2MB/);
  }));

test("esptool sees an ESP8285 with its embedded flash", () =>
  withServer({ chip: "esp8285", mac: "18:fe:34:01:02:03" }, async (server) => {
    const out = await ok(server, "--after", "no_reset", "--no-stub", "read_mac");
    assert.match(out, /Chip is ESP8285N08/);
    assert.match(out, /Features: WiFi, Embedded Flash/);
    assert.match(out, /MAC: 18:fe:34:01:02:03/);
  }));

test("esptool write_flash -z (stub, 921600), verify_flash and read_flash", () =>
  withServer({ flashContents: patterned(4 << 20) }, async (server, dir) => {
    const fw = buildNodemcuFirmware({ totalSize: 0x14000, seed: 7 }).combined;
    const blob = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
    await Deno.writeFile(`${dir}/fw.bin`, fw);
    await Deno.writeFile(`${dir}/blob.bin`, blob);
    const out = await ok(
      server,
      "--baud",
      "921600",
      "--after",
      "no_reset",
      "write_flash",
      "-z",
      "0x0",
      `${dir}/fw.bin`,
      "0x31000",
      `${dir}/blob.bin`,
    );
    assert.match(out, /Changed\./);
    assert.equal((out.match(/Hash of data verified/g) ?? []).length, 2);
    const flash = server.board.flash;
    assert.deepEqual(flash.read(0, fw.length), fw);
    assert.deepEqual(flash.read(0x31000, blob.length), blob);
    assert.equal(flash.read(0x30000, 1)[0], 0x5a ^ 0x30, "the sector before the blob is untouched");
    assert.ok(opsUsed(server).has("stub:FLASH_DEFL_DATA"));
    assert.match(
      await ok(server, "--after", "no_reset", "verify_flash", "0x0", `${dir}/fw.bin`),
      /verify OK \(digest matched\)/,
    );
    await ok(
      server,
      "--after",
      "no_reset",
      "read_flash",
      "0x31000",
      String(blob.length),
      `${dir}/back.bin`,
    );
    assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), blob);
    flash.program(0x100, new Uint8Array([0]));
    const bad = await esptool(
      server,
      "--after",
      "no_reset",
      "verify_flash",
      "0x0",
      `${dir}/fw.bin`,
    );
    assert.notEqual(bad.code, 0, "a changed byte fails verification");
    assert.match(bad.out, /verify FAILED|does not match/);
  }));

test("esptool write_flash -u (stub, uncompressed)", () =>
  withServer({}, async (server, dir) => {
    const data = new Uint8Array(0x6123).map((_, i) => (i * 31 + 7) & 0xff);
    await Deno.writeFile(`${dir}/u.bin`, data);
    assert.match(
      await ok(server, "--after", "no_reset", "write_flash", "-u", "0x8000", `${dir}/u.bin`),
      /Hash of data verified/,
    );
    assert.deepEqual(server.board.flash.read(0x8000, data.length), data);
    const ops = opsUsed(server);
    assert.ok(ops.has("stub:FLASH_DATA") && !ops.has("stub:FLASH_DEFL_DATA"));
  }));

test("esptool write_flash --no-stub: the ROM's erase bug meets esptool's workaround", () =>
  withServer({ flashContents: patterned(4 << 20) }, async (server, dir) => {
    const data = new Uint8Array(0x9100).map((_, i) => (i * 13) & 0xff);
    await Deno.writeFile(`${dir}/rom.bin`, data);
    const out = await ok(
      server,
      "--after",
      "no_reset",
      "--no-stub",
      "write_flash",
      "0x3000",
      `${dir}/rom.bin`,
    );
    assert.match(out, /Wrote 37888 bytes at 0x00003000/);
    assert.deepEqual(server.board.flash.read(0x3000, data.length), data);
    const sectors = Math.ceil(data.length / 0x1000);
    assert.deepEqual(
      erasedSectors(server),
      Array.from({ length: sectors }, (_, i) => 3 + i),
      "exactly the needed sectors",
    );
    const ops = [...opsUsed(server)];
    assert.ok(ops.every((op) => op.startsWith("rom:")), `ROM only: ${ops}`);
  }));

test("esptool erase_region and erase_flash", () =>
  withServer({ flashContents: patterned(4 << 20) }, async (server) => {
    const flash = server.board.flash;
    await ok(server, "--after", "no_reset", "erase_region", "0x20000", "0x11000");
    assert.equal(flash.isBlank(0x20000, 0x11000), true);
    assert.equal(flash.read(0x1f000, 1)[0], 0x5a ^ 0x1f);
    assert.equal(flash.read(0x31000, 1)[0], 0x5a ^ 0x31);
    assert.match(
      await ok(server, "--after", "no_reset", "erase_flash"),
      /Chip erase completed successfully/,
    );
    assert.equal(flash.isBlank(0, flash.size), true);
  }));

test("esptool flash status registers and SFDP", () =>
  withServer({}, async (server) => {
    assert.match(
      await ok(server, "--after", "no_reset", "read_flash_status"),
      /Status value: 0x0000/,
    );
    const w = await ok(
      server,
      "--after",
      "no_reset",
      "write_flash_status",
      "--non-volatile",
      "0x0200",
    );
    assert.match(w, /After flash status: +0x0200/);
    assert.match(
      await ok(server, "--after", "no_reset", "--no-stub", "read_flash_status"),
      /Status value: 0x0200/,
    );
    assert.match(
      await ok(server, "--after", "no_reset", "read_flash_sfdp", "0", "4"),
      /SFDP\[0\.\.3\]: 53 46 44 50/,
    );
  }));

test("a stub left running by one esptool run is found by the next", () =>
  withServer({}, async (server, dir) => {
    assert.match(
      await ok(server, "--after", "no_reset_stub", "chip_id"),
      /Staying in flasher stub/,
    );
    assert.equal(server.board.state, "stub");
    const out = await ok(server, "--before", "no_reset", "--after", "no_reset", "flash_id");
    assert.match(out, /Stub is already running/);
    assert.match(out, /Detected flash size: 4MB/);
    // The running stub still works: it reads the flash as the board holds it.
    server.board.flash.program(0x1000, new TextEncoder().encode("still the stub.."));
    await ok(
      server,
      "--before",
      "no_reset",
      "--after",
      "no_reset",
      "read_flash",
      "0x1000",
      "16",
      `${dir}/head.bin`,
    );
    assert.deepEqual(await Deno.readFile(`${dir}/head.bin`), server.board.flash.read(0x1000, 16));
  }));

test("no_reset_stub, then no_reset_no_sync: esptool uploads its stub again through the running one", () =>
  withServer({}, async (server, dir) => {
    assert.match(
      await ok(server, "--after", "no_reset_stub", "flash_id"),
      /Staying in flasher stub/,
    );
    const data = new Uint8Array(0x3000).map((_, i) => (i * 17 + 3) & 0xff);
    await Deno.writeFile(`${dir}/d.bin`, data);
    const since = server.board.log.entries.length;
    // no reset, no SYNC: esptool does not know the stub runs, and uploads it over itself
    const out = await ok(
      server,
      "--before",
      "no_reset_no_sync",
      "--after",
      "no_reset_stub",
      "write_flash",
      "0x20000",
      `${dir}/d.bin`,
    );
    assert.match(out, /Uploading stub/);
    assert.match(out, /Hash of data verified/);
    const ops = server.board.log.entries.slice(since).map((r) => `${r.loader}:${r.name}`);
    assert.ok(ops.includes("stub:MEM_BEGIN") && ops.includes("stub:MEM_END"), ops.join(" "));
    assert.ok(!ops.includes("rom:SYNC"));
    assert.equal(server.board.state, "stub");
    assert.deepEqual(server.board.flash.read(0x20000, data.length), data);
  }));

test("esptool's default reset enters download mode through the circuit; --after hard_reset boots NodeMCU to its prompt", () =>
  withServer({}, async (server, dir) => {
    const fw = buildNodemcuFirmware({ totalSize: 0x30000, seed: 9 });
    await Deno.writeFile(`${dir}/nodemcu.bin`, fw.combined);
    assert.equal(server.board.lastReset.mode, "flash", "a devkit powers up running its firmware");
    const out = await ok(server, "write_flash", "--flash_mode", "dio", "0x0", `${dir}/nodemcu.bin`);
    assert.match(out, /Hard resetting via RTS pin/);
    await server.board.idle();
    assert.equal(server.board.state, "app");
    assert.deepEqual(server.board.lastReset, { cause: 2, kind: "external", mode: "flash" });
    const port = await openRfc2217("127.0.0.1", Number(server.url.split(":").at(-1)));
    try {
      await port.setBaudRate(115200);
      await port.write(new TextEncoder().encode("\r\n"));
      await readUntil(port, /> $/);
      await port.write(new TextEncoder().encode("print(6*7)\r\n"));
      assert.match(await readUntil(port, /\r\n42\r\n> $/), /^print\(6\*7\)\r\n42\r\n> $/);
      // A client that resets the board itself (RTS pulse, DTR released) gets banner and prompt.
      await port.setSignals({ dtr: false, rts: true });
      await new Promise((r) => setTimeout(r, 100));
      await port.setSignals({ dtr: false, rts: false });
      const boot = await readUntil(port, /cannot open init\.lua: \r\n> $/);
      assert.ok(boot.includes(fw.bannerText!.replace(/\n/g, "\r\n")), boot);
    } finally {
      await port.close();
    }
  }));

Deno.test({
  name: "esptool v4.8.1 against the simulator's RFC 2217 server",
  ignore: skip !== undefined,
  async fn(t) {
    // Concurrent steps need their own sanitizers off; this test's sanitizers still check that
    // every server, socket and child process was closed at the end.
    const opts = { sanitizeOps: false, sanitizeResources: false, sanitizeExit: false };
    await Promise.all(CASES.map((c) => t.step({ name: c.name, fn: c.fn, ...opts })));
  },
});
