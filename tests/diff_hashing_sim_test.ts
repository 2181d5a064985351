/**
 * How much the chip hashes for a fast reflash, against the simulated board: each byte once per
 * 64 KiB block on the way down, the region's last block first (a new build: that block and the
 * region's first sector, then blank blocks), per sector only inside the blocks that differ, and
 * afterwards only what was written (nothing at all for an unchanged image). Counted from the MD5
 * commands the board handled.
 */

import assert from "node:assert/strict";
import { flash } from "../lib/flasher/flash.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import { deflateSync } from "node:zlib";
import { changedRuns } from "../lib/flasher/diff.ts";
import { deflateForStub, writeRegion } from "../lib/flasher/write.ts";
import { openSession } from "../lib/flasher/open_session.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";

const SIZE = 300 * 1024; // 5 blocks of 64 KiB (the last one partial)
const firmware = buildNodemcuFirmware({ seed: 11, totalSize: SIZE }).combined;

/** The sizes of the MD5s the board computes from now on. */
function md5Sizes(t: SimTransport): number[] {
  const sizes: number[] = [];
  t.board.on((e) => {
    if (e.type === "command" && e.record.op === Op.SPI_FLASH_MD5) sizes.push(e.record.args.size!);
  });
  return sizes;
}

async function withBoard(contents: Uint8Array, fn: (t: SimTransport) => Promise<void>) {
  const flashContents = new Uint8Array(4 << 20).fill(0xff);
  flashContents.set(contents);
  // Powered up in its loader: a devkit would boot the image it holds, and NodeMCU formats its
  // file system in the free flash after it (with the time model instant, before any host can
  // reset it), which is not what these tests are about.
  const t = await openSimTransport("sim://?boot=download", { board: { flashContents } });
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const job = (t: SimTransport, data: Uint8Array) =>
  flash(t, { files: [{ address: 0, name: "fw.bin", data }], flashSize: "keep", after: "no-reset" });

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

Deno.test("an unchanged image: each byte hashed once, per block, and no second pass to verify", async () => {
  await withBoard(firmware, async (t) => {
    const sizes = md5Sizes(t);
    const result = await job(t, firmware);
    assert.equal(result.regions[0]!.bytesWritten, 0);
    assert.equal(result.regions[0]!.verified, true);
    assert.deepEqual(sizes, [SIZE - 0x40000, 0x10000, 0x10000, 0x10000, 0x10000]);
  });
});

Deno.test("one changed sector: blocks, then the sectors of the block that differs, then that sector", async () => {
  const changed = firmware.slice();
  changed.fill(0x5a, 0x23000, 0x24000); // sector 3 of block 2
  await withBoard(firmware, async (t) => {
    const sizes = md5Sizes(t);
    const result = await job(t, changed);
    assert.equal(result.regions[0]!.bytesWritten, 0x1000);
    assert.equal(result.regions[0]!.verified, true);
    assert.deepEqual(t.board.flash.read(0, SIZE), changed);
    assert.equal(sizes.length, 5 + 16 + 1);
    assert.equal(sum(sizes), SIZE + 0x10000 + 0x1000);
    assert.equal(sizes.at(-1), 0x1000, "only the written sector is verified");
  });
});

Deno.test("a new build: the last block and the first sector differ, the rest is written without hashing it", async () => {
  const other = buildNodemcuFirmware({ seed: 12, totalSize: SIZE }).combined;
  await withBoard(other, async (t) => {
    const sizes = md5Sizes(t);
    const result = await job(t, firmware);
    assert.equal(result.regions[0]!.bytesWritten, SIZE);
    assert.deepEqual(t.board.flash.read(0, SIZE), firmware);
    assert.deepEqual(sizes, [SIZE - 0x40000, 0x1000, SIZE], "the last block, a sector, the region");
  });
});

Deno.test("only the last block changed: the first sector matches, so the rest is hashed, not written", async () => {
  const changed = firmware.slice();
  changed.fill(0x5a, 0x41000, 0x42000); // sector 1 of the last block (0x40000-0x4b000)
  await withBoard(firmware, async (t) => {
    const sizes = md5Sizes(t);
    const result = await job(t, changed);
    assert.equal(result.regions[0]!.bytesWritten, 0x1000);
    assert.deepEqual(t.board.flash.read(0, SIZE), changed);
    // block 0 is hashed past its first sector, then blocks 1-3
    assert.deepEqual(sizes.slice(0, 6), [
      SIZE - 0x40000,
      0x1000,
      0xf000,
      0x10000,
      0x10000,
      0x10000,
    ]);
    assert.equal(
      sizes.length,
      6 + 11 + 1,
      "then the 11 sectors of the last block, then the one written",
    );
  });
});

Deno.test("a new build with a blank block: the blank block is still hashed, and skipped when it matches", async () => {
  const image = firmware.slice();
  image.fill(0xff, 0x30000, 0x40000); // block 3 of the image is blank, and so is the chip there
  const other = buildNodemcuFirmware({ seed: 12, totalSize: SIZE }).combined;
  other.fill(0xff, 0x30000, 0x40000);
  await withBoard(other, async (t) => {
    const sizes = md5Sizes(t);
    const result = await job(t, image);
    assert.equal(result.regions[0]!.bytesSkipped, 0x10000);
    assert.deepEqual(t.board.flash.read(0, SIZE), image);
    assert.deepEqual(
      sizes.slice(0, 3),
      [SIZE - 0x40000, 0x1000, 0x10000],
      "the last block, a sector, the blank block 3",
    );
  });
});

Deno.test("a sector that does not hold what was written: hashing the written run finds it", async () => {
  const changed = firmware.slice();
  changed.fill(0x77, 0x11000, 0x12000);
  await withBoard(firmware, async (t) => {
    // a bit that does not stay programmed, as on a worn flash
    t.board.on((e) => {
      if (e.type === "command" && e.record.op === Op.FLASH_DEFL_END) {
        t.board.flash.program(0x11800, new Uint8Array([0x00]));
      }
    });
    await assert.rejects(() => job(t, changed), (e: Error) => {
      assert.match(e.message, /Verification of fw.bin at 0x00000000 failed/);
      return true;
    });
  });
});

Deno.test("compressing ahead: once the last block differs, while the first sector is hashed", async () => {
  const other = buildNodemcuFirmware({ seed: 12, totalSize: SIZE }).combined;
  for (const [name, onChip] of [["new build", other], ["unchanged", firmware]] as const) {
    await withBoard(onChip, async (t) => {
      const sizes = md5Sizes(t);
      const seen: number[][] = [];
      const session = await openSession(t, { flashSize: "detect" });
      const stub = session.session.kind === "stub" ? session.session : assert.fail("no stub");
      const region = { address: 0, data: firmware };
      const runs = await changedRuns(stub, region, {
        whileLikelyNew: () => seen.push([...sizes]),
      });
      if (name === "new build") {
        assert.deepEqual(seen, [[SIZE - 0x40000]], "once, after the last block's digest");
        assert.deepEqual(runs, [{ offset: 0, length: SIZE }]);
      } else {
        assert.deepEqual(seen, [], "not for an unchanged image");
        assert.deepEqual(runs, []);
      }
    });
  }
});

Deno.test("a write given the region compressed ahead sends that stream, and the flash holds the data", async () => {
  const other = buildNodemcuFirmware({ seed: 12, totalSize: SIZE }).combined;
  await withBoard(other, async (t) => {
    const { session } = await openSession(t, { flashSize: "detect" });
    const deflated = new Uint8Array(deflateSync(firmware, { level: 1 })); // not what level 9 gives
    assert.notEqual(deflated.length, deflateForStub(firmware).length);
    const result = await writeRegion(session, { address: 0, data: firmware }, {
      name: "fw.bin",
      compress: true,
      deflated,
    });
    assert.deepEqual(result, { wireBytes: deflated.length, compressed: true });
    assert.deepEqual(t.board.flash.read(0, SIZE), firmware);
  });
});
