/**
 * The simulated NodeMCU's files as a host sees them through `sim://` ports: what a board writes
 * stays in its flash, so a second board opened on the same backing file (`sim://?flash-file=`)
 * boots with the same files, as a real board keeps them across power cycles.
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { flashImage } from "../lib/sim/console_tap.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";
import { readUntil } from "./support/read_until.ts";

const MB = 1 << 20;

/** Types a line and reads up to the next prompt. */
async function run(port: SimTransport, line: string): Promise<string> {
  await port.write(Uint8Array.from(`${line}\r\n`, (c) => c.charCodeAt(0)));
  return await readUntil(port, /\r\n> $/, 20_000);
}

Deno.test("sim files: files written by one board are on the next board opened on the same flash file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/flash.bin`;
  try {
    const image = buildNodemcuFirmware({ totalSize: 0x40000, flashSize: "4MB", flashMode: "dio" });
    await Deno.writeFile(path, flashImage(4 * MB, image.combined));
    const url = `sim://?flash-file=${encodeURIComponent(path)}`;
    const first = await openSimTransport(url);
    try {
      assert.match(await readUntil(first, /\r\n> $/, 20_000), /Formatting file system/);
      await run(first, 'file.putcontents("init.lua", "print(\\"hello from init\\")")');
      await run(first, 'file.putcontents("data/blob.bin", "\\0\\1\\2\\255")');
    } finally {
      await first.close();
    }
    const second = await openSimTransport(url);
    try {
      const boot = await readUntil(second, /\r\n> $/, 20_000);
      assert.doesNotMatch(boot, /Formatting/, "the file system was found");
      assert.match(boot, /hello from init\r\n> $/);
      const check = await run(second, '=file.getcontents("data/blob.bin") == "\\0\\1\\2\\255"');
      assert.match(check, /true\r\n> $/);
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
