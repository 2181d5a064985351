/**
 * The main job as users run it, timed against esptool v4.8.1 on the same simulated board: one
 * `write_flash` command (connect, stub upload, compressed write of a 400 KiB NodeMCU-like image,
 * MD5 verification, reset), as a separate process each, over RFC 2217. The board is the
 * simulator with its time model off, so the figures are the tools' own cost on the host (process
 * start, protocol round trips, compression), not the serial line's. Both tools run against the
 * same board in the same run, so their ratio is what to read (the machine is shared and noisy).
 *
 * - `deno bench -A tests/bench/flash_bench.ts` (or `deno task bench`).
 * - esptool missing: only nodeflash's benchmarks run, and the file says why.
 *
 * @module
 */

import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { startSimServer } from "../../lib/sim/mod.ts";
import { findEsptool } from "../support/esptool.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "nodeflash-bench-" });
const image = `${dir}/nodemcu.bin`;
await Deno.writeFile(image, buildNodemcuFirmware({ totalSize: 400 * 1024 }).combined);
const server = await startSimServer({ kind: "rfc2217", boardOptions: { flashSize: "4MB" } });
const esptool = await findEsptool();
// deno-lint-ignore no-console -- a benchmark explains what it skips
if ("skip" in esptool) console.log(`esptool benchmarks skipped: ${esptool.skip}`);

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A fresh write every time: erase the board's flash between runs (outside the timing). */
function eraseBoard(): void {
  server.board.flash.eraseChip();
}

const nodeflash = (extra: string[]) => () =>
  run(Deno.execPath(), [
    "run",
    "-A",
    MOD,
    "--port",
    server.url,
    "--quiet",
    "flash",
    "-fs",
    "keep",
    ...extra,
    image,
  ]);

Deno.bench({
  name: "nodeflash flash (400 KiB, compressed, verified)",
  group: "write 400 KiB",
  baseline: true,
  async fn(b) {
    eraseBoard();
    b.start();
    await nodeflash([])();
    b.end();
  },
});

Deno.bench({
  name: "nodeflash flash again (everything already there)",
  group: "reflash 400 KiB",
  baseline: true,
  async fn(b) {
    b.start();
    await nodeflash([])();
    b.end();
  },
});

if (!("skip" in esptool)) {
  const esp = (args: string[]) => () =>
    run(esptool.python, [
      esptool.path,
      "--chip",
      "esp8266",
      "--port",
      server.url,
      "--baud",
      "460800",
      ...args,
    ]);
  Deno.bench({
    name: "esptool write_flash -z (400 KiB, compressed, verified)",
    group: "write 400 KiB",
    async fn(b) {
      eraseBoard();
      b.start();
      await esp(["write_flash", "-z", "0x0", image])();
      b.end();
    },
  });
  Deno.bench({
    name: "esptool write_flash -z again (it rewrites everything)",
    group: "reflash 400 KiB",
    async fn(b) {
      b.start();
      await esp(["write_flash", "-z", "0x0", image])();
      b.end();
    },
  });
}

globalThis.addEventListener("unload", () => {
  void server.close();
  Deno.removeSync(dir, { recursive: true });
});
