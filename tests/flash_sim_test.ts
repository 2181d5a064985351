/**
 * The flasher against the simulated ESP8266 over the in-process link: what lands in the flash,
 * what is left alone, and what happens when the line misbehaves.
 */

import assert from "node:assert/strict";
import { flash, type FlashOptions, type FlashResult } from "../lib/flasher/flash.ts";
import type { FlashEvent } from "../lib/flasher/events.ts";
import { openSession } from "../lib/flasher/open_session.ts";
import { readFlash } from "../lib/flasher/read.ts";
import { leave } from "../lib/flasher/after.ts";
import { buildImage } from "../lib/testing/build_image.ts";
import { buildNodemcuFirmware } from "../lib/testing/nodemcu_firmware.ts";
import { fillerBytes } from "../lib/testing/filler_bytes.ts";
import { readFlashParams } from "../lib/image/patch_image_header.ts";
import { builtInInitData } from "../lib/flasher/init_data.ts";
import { isNodeflashError } from "../lib/errors.ts";
import { openSimTransport, type SimTransport } from "../lib/sim/open_sim_transport.ts";
import { connectSimLink } from "../lib/sim/sim_link.ts";
import type { SimBoard } from "../lib/sim/board.ts";
import { faultyLine } from "./support/faulty_line.ts";

/** Every sector starts with a different pattern, so any stray erase or write shows. */
function patterned(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let s = 0; s < size / 4096; s++) out.fill((s * 37 + 11) & 0x7f, s * 4096, (s + 1) * 4096);
  return out;
}

async function withBoard<T>(
  url: string,
  fn: (t: SimTransport) => Promise<T>,
  contents?: Uint8Array,
): Promise<T> {
  const t = await openSimTransport(url, contents ? { board: { flashContents: contents } } : {});
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

const run = (t: SimTransport, options: Omit<FlashOptions, "after">, events?: FlashEvent[]) =>
  flash(t, {
    after: "no-reset",
    ...options,
    ...(events ? { onEvent: (e) => events.push(e) } : {}),
  });

/** Asserts every byte outside the given ranges (rounded out to whole sectors) is unchanged. */
function assertUntouchedOutside(
  board: SimBoard,
  before: Uint8Array,
  ranges: Array<[number, number]>,
) {
  const after = board.flash.read(0, before.length);
  const inRange = (sector: number) =>
    ranges.some(([a, n]) => sector >= Math.floor(a / 4096) && sector < Math.ceil((a + n) / 4096));
  for (let s = 0; s < before.length / 4096; s++) {
    if (inRange(s)) continue;
    const a = before.subarray(s * 4096, (s + 1) * 4096);
    const b = after.subarray(s * 4096, (s + 1) * 4096);
    assert.ok(a.every((x, i) => x === b[i]), `sector 0x${(s * 4096).toString(16)} changed`);
  }
}

const multiSegment = buildImage({
  segments: [
    { address: 0x40100000, data: fillerBytes(6000, 1) },
    { address: 0x3ffe8000, data: fillerBytes(1200, 2) },
    { address: 0x3ffe8a00, data: fillerBytes(8, 3) },
  ],
  flashSize: "1MB",
  flashMode: "qio",
});

for (const loader of ["stub", "rom"] as const) {
  Deno.test(`flash through the ${loader}: a multi-segment image and a 1 MB image land byte for byte`, async () => {
    await withBoard("sim://?flash-size=4MB", async (t) => {
      const big = fillerBytes(1 << 20, 7);
      const result = await run(t, {
        loader,
        flashSize: "keep",
        files: [
          { address: 0, name: "multi.bin", data: multiSegment },
          { address: 0x100000, name: "big.bin", data: big },
        ],
      });
      assert.equal(result.loader, loader);
      assert.deepEqual(t.board.flash.read(0, multiSegment.length), multiSegment);
      assert.deepEqual(t.board.flash.read(0x100000, big.length), big);
      assert.deepEqual(
        result.regions.map((r) => r.verified),
        loader === "stub" ? [true, true] : ["skipped", "skipped"],
      );
      if (loader === "stub") {
        const ready = await openSession(t, {});
        assert.equal(ready.session.kind, "stub");
        if (ready.session.kind === "stub") {
          const back = await readFlash(ready.session, { address: 0x100000, size: big.length });
          assert.deepEqual(back, big);
          await leave(ready.session, "no-reset");
        }
      }
    });
  });
}

Deno.test("the header at 0x0 gets the mode asked for and the detected size; other files are left as they are", async () => {
  await withBoard("sim://?flash-size=2MB", async (t) => {
    const data = multiSegment.slice();
    await run(t, {
      flashMode: "dout",
      flashFreq: "80m",
      files: [{ address: 0, name: "fw.bin", data }, { address: 0x20000, name: "copy.bin", data }],
    });
    const onChip = readFlashParams(t.board.flash.read(0, 8));
    assert.deepEqual([onChip.mode, onChip.size, onChip.freq], ["dout", "2MB", "80m"]);
    assert.deepEqual(t.board.flash.read(0x20000, data.length), multiSegment);
  });
});

for (const [size, at] of [["512KB", 0x7c000], ["1MB", 0xfc000], ["4MB", 0x3fc000]] as const) {
  Deno.test(`init data goes to ${at.toString(16)} on a ${size} chip`, async () => {
    await withBoard(`sim://?flash-size=${size}`, async (t) => {
      await run(t, {
        files: [{ address: 0, name: "fw.bin", data: multiSegment }],
        initData: { kind: "builtin", which: "default" },
      });
      assert.deepEqual(t.board.flash.read(at, 128), builtInInitData("default"));
      assert.ok(t.board.flash.isBlank(at + 128, 4096 - 128));
    });
  });
}

for (const loader of ["rom", "stub"] as const) {
  Deno.test(`sectors next to each region are untouched (${loader}; the ROM's over-erase is worked around)`, async () => {
    const before = patterned(1 << 20);
    await withBoard("sim://?flash-size=1MB", async (t) => {
      // 3 sectors inside a block (odd: the ROM would erase a 4th), 1 sector, 20 sectors across a block edge
      const files = [
        { address: 0x3000, name: "a.bin", data: fillerBytes(3 * 4096 - 100, 1) },
        { address: 0x21000, name: "b.bin", data: fillerBytes(200, 2) },
        { address: 0x4e000, name: "c.bin", data: fillerBytes(20 * 4096, 3) },
      ];
      const events: FlashEvent[] = [];
      await run(t, { loader, diff: "off", files }, events);
      for (const f of files) {
        assert.deepEqual(t.board.flash.read(f.address, f.data.length), f.data, f.name);
      }
      assertUntouchedOutside(t.board, before, files.map((f) => [f.address, f.data.length]));
      if (loader === "rom") {
        assert.ok(events.some((e) => e.type === "note" && e.code === "rom/preserve-sector"));
      }
    }, before);
  });
}

Deno.test("reflashing the same image writes nothing", async () => {
  await withBoard("sim://", async (t) => {
    const fw = buildNodemcuFirmware({});
    const files = [{ address: 0, name: "fw.bin", data: fw.combined }];
    await run(t, { files });
    const programsBefore = t.board.flash.programCounts().reduce((a, b) => a + b, 0);
    const erasesBefore = t.board.flash.eraseCounts().reduce((a, b) => a + b, 0);
    const again: FlashResult = await run(t, { files });
    assert.deepEqual(again.regions.map((r) => [r.bytesWritten, r.bytesSkipped]), [[
      0,
      fw.combined.length,
    ]]);
    assert.equal(t.board.flash.programCounts().reduce((a, b) => a + b, 0), programsBefore);
    assert.equal(t.board.flash.eraseCounts().reduce((a, b) => a + b, 0), erasesBefore);
  });
});

Deno.test("a changed sector is all a reflash writes", async () => {
  await withBoard("sim://", async (t) => {
    const fw = buildNodemcuFirmware({});
    await run(t, { flashSize: "keep", files: [{ address: 0, name: "fw.bin", data: fw.combined }] });
    const changed = fw.combined.slice();
    changed[0x23456] = changed[0x23456]! ^ 0xff;
    const again = await run(t, {
      flashSize: "keep",
      files: [{ address: 0, name: "fw.bin", data: changed }],
    });
    assert.deepEqual(again.regions.map((r) => r.bytesWritten), [4096]);
    assert.deepEqual(t.board.flash.read(0, changed.length), changed);
  });
});

Deno.test("a block corrupted on the wire is sent again", async () => {
  await withBoard("sim://", async (inner) => {
    const line = faultyLine(inner, { corrupt: (op, i) => op === 0x11 && i === 2 });
    const fw = buildNodemcuFirmware({});
    const events: FlashEvent[] = [];
    await run(line.transport as SimTransport, {
      flashSize: "keep",
      files: [{ address: 0, name: "fw.bin", data: fw.combined }],
    }, events);
    assert.equal(line.corrupted, 1);
    assert.deepEqual(
      events.filter((e) => e.type === "retry").map((e) => e.type === "retry" && e.block),
      [2],
    );
    assert.deepEqual(inner.board.flash.read(0, fw.combined.length), fw.combined);
  });
});

Deno.test("a cable pulled mid-write is reported with the address reached, and a rerun completes the job", async () => {
  await withBoard("sim://", async (inner) => {
    const fw = buildNodemcuFirmware({ totalSize: 600 * 1024 });
    const files = [{ address: 0, name: "fw.bin", data: fw.combined }];
    const line = faultyLine(inner, { hangUpAfterBytes: 150_000 });
    const error = await run(line.transport as SimTransport, { files, flashSize: "keep" }).then(
      () => undefined,
      (e) => e,
    );
    assert.ok(isNodeflashError(error), String(error));
    assert.equal(error.code, "flash/interrupted");
    assert.match(
      error.message,
      /Writing fw\.bin stopped at 0x[0-9a-f]{8} \(\d+ of 614400 bytes acknowledged/,
    );
    const reached = error.details?.acknowledged as number;
    assert.ok(reached > 0 && reached < fw.combined.length, `reached ${reached}`);
    // Plugging the USB cable back in powers the board up again (it boots its firmware; the
    // flasher's reset takes it back into the loader)
    inner.board.powerCycle();
    const link = connectSimLink(inner.board);
    try {
      const rerun = await flash(link.transport, { files, flashSize: "keep", after: "no-reset" });
      assert.ok(rerun.regions[0]!.bytesSkipped > 0, "what was written before is skipped");
      assert.equal(rerun.regions[0]!.verified, true);
      assert.deepEqual(inner.board.flash.read(0, fw.combined.length), fw.combined);
    } finally {
      await link.transport.close();
    }
  });
});
