/**
 * esptool v4.8.1 against `nodeflash sim` run as a program (`deno run -A mod.ts sim --rfc2217
 * 127.0.0.1:0 ...`, a child process whose address comes from the `listening rfc2217://...` line
 * on its stdout), as a user pairs them: esptool resets the board through the simulated devkit
 * circuit, reads the MAC, crystal and flash id given on the command line and writes a file; after
 * SIGINT the board's flash file holds what esptool wrote.
 *
 * Skips, saying why, when /usr/bin/python3, pyserial or esptool is missing.
 */

import assert from "node:assert/strict";
import { findEsptool, runEsptool } from "../support/esptool.ts";
import { withTempDir } from "../support/run_cli.ts";
import { spawnSim } from "../support/sim_process.ts";

const where = await findEsptool();
const skip = "skip" in where ? where.skip : undefined;
// deno-lint-ignore no-console -- the suite says why it skips
if (skip !== undefined) console.log(`esptool against nodeflash sim skipped: ${skip}`);

Deno.test({
  name:
    "esptool against `nodeflash sim --rfc2217` as a program: read_mac, flash_id, write_flash, the flash file after SIGINT",
  ignore: skip !== undefined || Deno.build.os === "windows",
  async fn() {
    if ("skip" in where) return;
    await withTempDir(async (dir) => {
      const file = `${dir}/board.bin`;
      const data = new Uint8Array(6000).map((_, i) => (i * 37 + 11) & 0xff);
      await Deno.writeFile(`${dir}/data.bin`, data);
      const sim = await spawnSim([
        "--rfc2217",
        "127.0.0.1:0",
        "--flash-file",
        file,
        "--flash-size",
        "1MB",
        "--mac",
        "5c:cf:7f:c0:ff:ee",
        "--jedec-id",
        "0x1440c8",
        "--crystal",
        "40",
      ]);
      try {
        assert.match(sim.url, /^rfc2217:\/\/127\.0\.0\.1:\d+$/);
        const mac = await runEsptool(where, sim.url, ["read_mac"]);
        assert.equal(mac.code, 0, mac.out);
        assert.match(mac.out, /MAC: 5c:cf:7f:c0:ff:ee/);
        assert.match(mac.out, /Crystal is 40MHz/);
        const id = await runEsptool(where, sim.url, ["flash_id"]);
        assert.equal(id.code, 0, id.out);
        assert.match(id.out, /Manufacturer: c8\r?\nDevice: 4014/);
        assert.match(id.out, /Detected flash size: 1MB/);
        const write = await runEsptool(where, sim.url, [
          "write_flash",
          "0x5000",
          `${dir}/data.bin`,
        ]);
        assert.equal(write.code, 0, write.out);
        assert.match(write.out, /Wrote 6000 bytes/);
        assert.match(write.out, /Hash of data verified/);
      } finally {
        const { code, stdoutAfter } = await sim.stop("SIGINT");
        assert.equal(code, 0, sim.stderr());
        assert.equal(stdoutAfter, "", "nothing on stdout after the listening line");
      }
      const saved = await Deno.readFile(file);
      assert.equal(saved.length, 1 << 20);
      assert.deepEqual(saved.subarray(0x5000, 0x5000 + data.length), data);
      assert.ok(saved.subarray(0, 0x5000).every((b) => b === 0xff), "nothing written before it");
    });
  },
});
