import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SlipDecoder } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { LEGACY_STUB, NEW_STUB } from "./stub_dialect.ts";
import { ReadFlashSession } from "./stub_read_flash.ts";
import { le } from "./testing.ts";

function capture(board: SimBoard): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const d = new SlipDecoder();
  board.attachHost((b) => {
    for (const e of d.push(b)) if (e.type === "frame") frames.push(e.data);
  });
  return frames;
}

Deno.test("read session: legacy compares un-acked bytes with the packet count", async () => {
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  board.flash.program(0, new Uint8Array(256).map((_, i) => i));
  const frames = capture(board);
  const s = new ReadFlashSession(board.device, LEGACY_STUB, {
    offset: 0,
    length: 256,
    packetSize: 16,
    maxInFlight: 64,
    limit: 0x100000,
  });
  assert.equal(s.start(), "running");
  assert.equal(frames.length, 4, "64 bytes = 4 packets of 16 before waiting");
  assert.equal(s.onFrame(le(64)), "running");
  assert.equal(frames.length, 8);
  for (const acked of [128, 192]) s.onFrame(le(acked));
  assert.equal(s.onFrame(le(256)), "done");
  assert.deepEqual([...frames.at(-1)!], [
    ...createHash("md5").update(board.flash.read(0, 256)).digest(),
  ]);
  await board.close();
});

Deno.test("read session: the new stub keeps one packet in flight; a read past the limit is an error", async () => {
  const board = new SimBoard({ bootMode: "download", flashSize: "1MB" });
  const frames = capture(board);
  const s = new ReadFlashSession(board.device, NEW_STUB, {
    offset: 0,
    length: 64,
    packetSize: 16,
    maxInFlight: 64,
    limit: 0x100000,
  });
  s.start();
  assert.equal(frames.length, 1);
  s.onFrame(le(16));
  assert.equal(frames.length, 2);
  const past = new ReadFlashSession(board.device, NEW_STUB, {
    offset: 0xffff0,
    length: 64,
    packetSize: 16,
    maxInFlight: 1,
    limit: 0x100000,
  });
  past.start();
  assert.deepEqual(past.onFrame(le(16)), { error: 0xc4 });
  const empty = new ReadFlashSession(board.device, LEGACY_STUB, {
    offset: 0,
    length: 0,
    packetSize: 16,
    maxInFlight: 1,
    limit: 0x100000,
  });
  assert.equal(empty.start(), "done", "nothing to send: the MD5 at once");
  await board.close();
});
