/**
 * The same flashing job over every way a board can be reached: the in-process link (sim://),
 * RFC 2217, raw TCP (socket://) and a pseudo-terminal opened through the serial FFI code, each
 * served by the simulator. What lands in the simulated flash must be the same.
 */

import assert from "node:assert/strict";
import { flash } from "../lib/flasher/flash.ts";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { openTransport } from "../lib/transport/open.ts";
import { type SimServerKind, startSimServer } from "../lib/sim/mod.ts";
import { openSimTransport } from "../lib/sim/open_sim_transport.ts";

const firmware = buildNodemcuFirmware({ seed: 9, totalSize: 256 * 1024 });
const files = [{ address: 0, name: "fw.bin", data: firmware.combined }];

const kinds: Array<[string, SimServerKind]> = [["rfc2217", "rfc2217"], ["socket", "tcp"]];
if (Deno.build.os === "linux") kinds.push(["pty", "pty"]);

for (const [name, kind] of kinds) {
  Deno.test(`flash over ${name}: the image lands, verified`, async () => {
    const server = await startSimServer({ kind, boardOptions: { flashSize: "4MB" } });
    try {
      const transport = await openTransport(server.url, { baudRate: 115200 });
      try {
        const notes: string[] = [];
        const result = await flash(transport, {
          files,
          flashSize: "keep",
          after: "no-reset",
          onEvent: (e: FlashEvent) => e.type === "note" && notes.push(e.code),
        });
        assert.equal(result.regions[0]!.verified, true);
        assert.deepEqual(server.board.flash.read(0, firmware.combined.length), firmware.combined);
        if (kind === "tcp") {
          // raw TCP cannot carry a baud change: the job stays at the sync rate
          assert.equal(result.baud, 115200);
          assert.ok(notes.includes("tcp/no-baud-change"));
        } else {
          assert.equal(result.baud, 921600, "auto: the fastest rate that works");
        }
      } finally {
        await transport.close();
      }
    } finally {
      await server.close();
    }
  });
}

for (const [name, kind] of kinds) {
  Deno.test(`flash over ${name}: the ROM loader alone, then a split build with init data through the stub`, async () => {
    const server = await startSimServer({ kind, boardOptions: { flashSize: "1MB" } });
    const [low, high] = firmware.parts;
    try {
      const transport = await openTransport(server.url, { baudRate: 115200 });
      try {
        const chip = server.board.flash;
        // The ROM loader on its own (no stub, no compression, no MD5): the combined image,
        // checked by reading back through the board. It leaves the ROM loader running.
        const rom = await flash(transport, {
          files,
          flashSize: "keep",
          loader: "rom",
          after: "no-reset",
        });
        assert.equal(rom.loader, "rom");
        assert.deepEqual(chip.read(0, firmware.combined.length), firmware.combined);

        const stub = await flash(transport, {
          files: [
            { address: low.address, name: "0x00000.bin", data: low.data },
            { address: high.address, name: "0x10000.bin", data: high.data },
          ],
          flashSize: "keep",
          initData: { kind: "builtin", which: "default" },
          after: "no-reset",
        });
        assert.equal(stub.loader, "stub");
        assert.deepEqual(stub.regions.map((r) => r.verified), [true, true, true]);
        assert.deepEqual(chip.read(low.address, low.data.length), low.data);
        assert.deepEqual(chip.read(high.address, high.data.length), high.data);
        // 1 MB: NodeMCU's init data sits 16 KiB below the end; it starts with its 0x05 magic.
        assert.equal(chip.read(0xfc000, 1)[0], 0x05);
      } finally {
        await transport.close();
      }
    } finally {
      await server.close();
    }
  });
}

Deno.test("flash over sim:// (in-process link): the image lands, verified", async () => {
  const transport = await openSimTransport("sim://");
  try {
    const result = await flash(transport, { files, flashSize: "keep", after: "no-reset" });
    assert.equal(result.regions[0]!.verified, true);
    assert.deepEqual(transport.board.flash.read(0, firmware.combined.length), firmware.combined);
  } finally {
    await transport.close();
  }
});
