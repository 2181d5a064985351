import assert from "node:assert/strict";
import zlib from "node:zlib";
import { SimBoard } from "./board.ts";
import { LEGACY_STUB, NEW_STUB } from "./stub_dialect.ts";
import { StubFlashWriter } from "./stub_flash_writer.ts";

Deno.test("writer: legacy erases 64K blocks when aligned with 16 sectors left, else sectors", async () => {
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  const w = new StubFlashWriter(board.device, LEGACY_STUB, {
    offset: 0x0,
    size: 0x14000,
    compressed: false,
    limit: 0x100000,
  });
  for (let i = 0; i < 5; i++) assert.equal(await w.write(new Uint8Array(0x4000).fill(i)), 0);
  assert.equal(w.remaining, 0);
  assert.deepEqual([board.flash.stats.blockErases, board.flash.stats.sectorErases], [1, 4]);
  assert.equal(board.flash.read(0x13fff, 1)[0], 4);
  w.close();
  await board.close();
});

Deno.test("writer: the new stub erases at begin and skips blank sectors until a written one", async () => {
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  board.flash.program(0x3000, new Uint8Array([0]));
  const w = new StubFlashWriter(board.device, NEW_STUB, {
    offset: 0x1000,
    size: 0x5000,
    compressed: false,
    limit: 0x100000,
  });
  assert.equal(board.flash.stats.sectorErases, 0, "sector 1 was blank: skipped at begin");
  await w.write(new Uint8Array(0x5000).fill(0x33));
  assert.deepEqual([...board.flash.eraseCounts()].flatMap((n, i) => (n ? [i] : [])), [3, 4, 5]);
  assert.equal(board.flash.read(0x3000, 1)[0], 0x33);
  w.close();
  await board.close();
});

Deno.test("writer: compressed data, trimming, the limit and a corrupt stream", async () => {
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  const data = new Uint8Array(0x9000).map((_, i) => i % 3);
  const packed = zlib.deflateSync(data, { level: 9 });
  const w = new StubFlashWriter(board.device, LEGACY_STUB, {
    offset: 0x8000,
    size: data.length,
    compressed: true,
    limit: 0x100000,
  });
  assert.equal(await w.writeCompressed(packed.subarray(0, 10)), 0);
  assert.equal(await w.writeCompressed(packed.subarray(10)), 0);
  assert.deepEqual(board.flash.read(0x8000, data.length), data);
  w.close();
  const over = new StubFlashWriter(board.device, LEGACY_STUB, {
    offset: 0xff000,
    size: 0x2000,
    compressed: false,
    limit: 0x100000,
  });
  assert.equal(await over.write(new Uint8Array(0x1000)), 0);
  assert.equal(await over.write(new Uint8Array(0x1000)), 0xc4);
  const plain = new StubFlashWriter(board.device, NEW_STUB, {
    offset: 0,
    size: 16,
    compressed: false,
    limit: 0x100000,
  });
  assert.equal(await plain.writeCompressed(new Uint8Array(4)), 0xc6, "no inflater for a plain job");
  const bad = new StubFlashWriter(board.device, NEW_STUB, {
    offset: 0,
    size: 16,
    compressed: true,
    limit: 0x100000,
  });
  assert.equal(await bad.writeCompressed(new Uint8Array([0x78, 0xda, 0xff, 0xff, 0xff])), 0xc7);
  bad.close();
  await board.close();
});
