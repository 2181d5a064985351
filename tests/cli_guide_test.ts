/**
 * The NodeMCU flashing guide's command lines, with `esptool.py` replaced by `nodeflash`, run
 * unchanged against a simulated board: a `sim://` port (its flash kept in a backing file so the
 * test can look at it) and `nodeflash sim --rfc2217` (the real CLI, as a separate process).
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { readFlashParams } from "../lib/image/patch_image_header.ts";
import { builtInInitData } from "../lib/flasher/init_data.ts";
import { runCli, withTempDir } from "./support/run_cli.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;

/** Starts `nodeflash sim --rfc2217 127.0.0.1:0 --flash-file F` and reads its listening line. */
async function startSimProcess(flashFile: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MOD, "sim", "--rfc2217", "127.0.0.1:0", "--flash-file", flashFile],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`nodeflash sim exited: ${text}`);
    text += new TextDecoder().decode(value);
  }
  const line = text.split("\n")[0]!;
  assert.match(line, /^listening rfc2217:\/\/127\.0\.0\.1:\d+$/);
  return {
    url: line.slice("listening ".length),
    async stop() {
      child.kill("SIGTERM");
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
      const status = await child.status;
      await child.stderr.cancel().catch(() => {});
      assert.equal(status.code, 0, "nodeflash sim exits cleanly on SIGTERM");
    },
  };
}

type Target = { port: string; flash: () => Promise<Uint8Array>; stop: () => Promise<void> };

function simPort(dir: string): Promise<Target> {
  const file = `${dir}/board.bin`;
  return Promise.resolve({
    port: `sim://?flash-file=${encodeURIComponent(file)}`,
    flash: () => Deno.readFile(file),
    stop: () => Promise.resolve(),
  });
}

async function rfc2217Port(dir: string): Promise<Target> {
  const file = `${dir}/board.bin`;
  const sim = await startSimProcess(file);
  return { port: sim.url, flash: () => Deno.readFile(file), stop: sim.stop };
}

for (
  const [kind, open] of [["sim://", simPort], ["nodeflash sim --rfc2217", rfc2217Port]] as const
) {
  Deno.test(`the guide's command lines run unchanged (${kind})`, async () => {
    await withTempDir(async (dir) => {
      const fw = buildNodemcuFirmware({ seed: 5 });
      await Deno.writeFile(`${dir}/nodemcu.bin`, fw.combined);
      await Deno.writeFile(`${dir}/esp_init_data_default.bin`, builtInInitData("default"));
      for (const [i, part] of fw.parts.entries()) {
        await Deno.writeFile(`${dir}/${i === 0 ? "0x00000" : "0x10000"}.bin`, part.data);
      }
      const target = await open(dir);
      try {
        const run = async (...args: string[]) => {
          const r = await runCli(args);
          assert.equal(r.code, 0, `${args.join(" ")}\n${r.stderr}`);
          return r;
        };
        // 1. the combined image, DIO, 32 Mbit
        await run(
          "--port",
          target.port,
          "write_flash",
          "-fm",
          "dio",
          "-fs",
          "32m",
          "0x00000",
          `${dir}/nodemcu.bin`,
        );
        let flash = await target.flash();
        const header = readFlashParams(flash.subarray(0, 8));
        assert.deepEqual([header.mode, header.size], ["dio", "4MB"]);
        assert.deepEqual(flash.subarray(8, fw.combined.length), fw.combined.subarray(8));
        // 2. firmware plus init data at 0x3fc000
        await run(
          "--port",
          target.port,
          "write_flash",
          "-fm",
          "dio",
          "0x00000",
          `${dir}/nodemcu.bin`,
          "0x3fc000",
          `${dir}/esp_init_data_default.bin`,
        );
        flash = await target.flash();
        assert.deepEqual(flash.subarray(0x3fc000, 0x3fc000 + 128), builtInInitData("default"));
        // 3. a source build's two files
        await run(
          "--port",
          target.port,
          "write_flash",
          "0x00000",
          `${dir}/0x00000.bin`,
          "0x10000",
          `${dir}/0x10000.bin`,
        );
        flash = await target.flash();
        assert.deepEqual(
          flash.subarray(8, fw.parts[0]!.data.length),
          fw.parts[0]!.data.subarray(8),
        );
        assert.deepEqual(
          flash.subarray(0x10000, 0x10000 + fw.parts[1]!.data.length),
          fw.parts[1]!.data,
        );
      } finally {
        await target.stop();
      }
    });
  });
}
