/**
 * nodeflash and esptool v4.8.1 on the same simulated board (over RFC 2217): what nodeflash writes
 * esptool reads back identical, and what esptool writes nodeflash verifies and reads back
 * identical. nodeflash runs through its real command line (in-process); esptool as an external
 * program. Skips, saying why, without esptool or pyserial.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { builtInInitData } from "../../lib/flasher/init_data.ts";
import { type SimServer, startSimServer } from "../../lib/sim/mod.ts";
import { findEsptool, runEsptool } from "../support/esptool.ts";
import { runCli, withTempDir } from "../support/run_cli.ts";

const where = await findEsptool();
const skip = "skip" in where ? where.skip : undefined;
// deno-lint-ignore no-console -- the suite says why it skips
if (skip) console.log(`nodeflash/esptool interop skipped: ${skip}`);

async function withServer(fn: (server: SimServer, dir: string) => Promise<void>) {
  const server = await startSimServer({ kind: "rfc2217", boardOptions: { flashSize: "4MB" } });
  try {
    await withTempDir((dir) => fn(server, dir));
  } finally {
    await server.close();
  }
}

async function esptool(server: SimServer, ...args: string[]): Promise<string> {
  if ("skip" in where) throw new Error(where.skip);
  const run = await runEsptool(where, server.url, ["--before", "default_reset", ...args]);
  assert.equal(run.code, 0, `esptool ${args.join(" ")}:\n${run.out}`);
  return run.out;
}

Deno.test({
  name: "esptool reads back exactly what nodeflash wrote (firmware and init data)",
  ignore: skip !== undefined,
  async fn() {
    await withServer(async (server, dir) => {
      const fw = buildNodemcuFirmware({ seed: 3 });
      await Deno.writeFile(`${dir}/fw.bin`, fw.combined);
      const flashed = await runCli([
        "--port",
        server.url,
        "--json",
        "flash",
        "--flash-size",
        "keep",
        "--init-data",
        "default",
        `${dir}/fw.bin`,
      ]);
      assert.equal(flashed.code, 0, flashed.stderr);
      const result = flashed.json().at(-1)!;
      assert.equal(result.type, "result");
      assert.equal(result.ok, true);
      await esptool(
        server,
        "read_flash",
        "0x0",
        `0x${fw.combined.length.toString(16)}`,
        `${dir}/back.bin`,
      );
      assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), fw.combined);
      // the image keeps its 1 MB header, so the SDK looks for init data at 1 MB - 0x4000
      await esptool(server, "read_flash", "0xfc000", "0x80", `${dir}/init.bin`);
      assert.deepEqual(await Deno.readFile(`${dir}/init.bin`), builtInInitData("default"));
    });
  },
});

Deno.test({
  name: "nodeflash verifies and reads back exactly what esptool wrote",
  ignore: skip !== undefined,
  async fn() {
    await withServer(async (server, dir) => {
      const fw = buildNodemcuFirmware({ seed: 4, totalSize: 300 * 1024 });
      await Deno.writeFile(`${dir}/fw.bin`, fw.combined);
      await esptool(server, "write_flash", "-z", "0x0", `${dir}/fw.bin`);
      // the same file again: nodeflash's MD5 comparison finds every byte already there
      const again = await runCli([
        "--port",
        server.url,
        "--json",
        "flash",
        "-fs",
        "keep",
        `${dir}/fw.bin`,
      ]);
      assert.equal(again.code, 0, again.stderr);
      const regions = again.json().at(-1)!.regions as Array<Record<string, unknown>>;
      assert.deepEqual(
        regions.map((r) => [r.bytesWritten, r.bytesSkipped, r.verified]),
        [[0, fw.combined.length, true]],
      );
      const read = await runCli([
        "--port",
        server.url,
        "read",
        "0x0",
        `0x${fw.combined.length.toString(16)}`,
        `${dir}/back.bin`,
      ]);
      assert.equal(read.code, 0, read.stderr);
      assert.deepEqual(await Deno.readFile(`${dir}/back.bin`), fw.combined);
    });
  },
});
