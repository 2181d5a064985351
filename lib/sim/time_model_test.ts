import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { slipEncode } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { KNOWN_STUBS } from "./stub_table.ts";
import { dataPacket, le, SimTestHost } from "./testing.ts";
import { DEFAULT_TIMING, TimeModel, wireUs } from "./time_model.ts";

const block = (i: number, size: number) => new Uint8Array(size).map((_, j) => (i * 31 + j) & 0x7f);

Deno.test("time model: wire, work and replies on the modelled timeline", async () => {
  const model = new TimeModel({ params: { latencyMs: 2 } });
  const mark = model.mark();
  await model.waitFor(model.arrive(115, 115200)); // 10 ms on the wire
  assert.equal(Math.round(model.now()), 9983);
  model.flashOperation({ kind: "program", length: 1024 }); // 4 pages
  model.work(300);
  await model.settle();
  assert.equal(model.send(12, 115200), 0, "nothing waits with pace instant");
  // The host hears the reply 2 ms after it left, answers at once, 2 ms to reach the board.
  await model.waitFor(model.arrive(115, 115200));
  const job = model.since(mark);
  const expected = 2 * wireUs(115, 115200) + 4 * DEFAULT_TIMING.pageProgramUs + 300 +
    wireUs(12, 115200) + 4000;
  assert.equal(Math.round(job.floorUs), Math.round(expected));
  assert.deepEqual([job.bytesToBoard, job.bytesToHost, job.busyUs], [230, 12, 1900]);
});

Deno.test("time model: a 64 KiB write at 115200 through the ROM takes wire time plus every block's write (board clock)", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const host = new SimTestHost(board);
  try {
    await host.command(Op.SYNC, new Uint8Array([7, 7, 0x12, 0x20, ...new Array(32).fill(0x55)]));
    const mark = board.timing.mark();
    const t0 = board.clock.now();
    let sent = 0;
    const begin = le(0x10000, 64, 0x400, 0);
    sent += slipEncode(requestPacketOf(Op.FLASH_BEGIN, begin)).length;
    await host.command(Op.FLASH_BEGIN, begin);
    for (let i = 0; i < 64; i++) {
      const packet = dataPacket(Op.FLASH_DATA, block(i, 0x400), i);
      sent += slipEncode(packet).length;
      assert.deepEqual((await host.exchange(packet))[0]?.status, [0, 0]);
    }
    const job = board.timing.since(mark);
    const elapsed = board.clock.now() - t0;
    // The ROM cannot overlap: wire both ways plus every erase, program and read-back in turn.
    const wire = wireUs(sent, 115200) + wireUs(65 * 12, 115200);
    const p = DEFAULT_TIMING;
    const stats = board.flash.stats;
    const busy = stats.blockErases * p.blockEraseUs + stats.sectorErases * p.sectorEraseUs +
      256 * p.pageProgramUs + 0x10000 * p.readUsPerByte;
    assert.ok(
      Math.abs(job.floorUs - (wire + busy)) < 0.01 * (wire + busy),
      `${job.floorUs} vs ${wire + busy}`,
    );
    assert.ok(
      Math.abs(elapsed - job.floorUs) < 0.02 * job.floorUs,
      "with pace instant the board clock is the model",
    );
    assert.ok(job.floorUs > 5.9e6 && job.floorUs < 6.6e6, `${job.floorUs / 1e6} s`);
    assert.equal(job.bytesToBoard, sent);
  } finally {
    await board.close();
  }
});

Deno.test("time model: the stub acknowledges first, so writing overlaps the next block's arrival", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const host = new SimTestHost(board);
  try {
    board.startStub(KNOWN_STUBS.find((s) => s.family === "legacy")!);
    await host.frames();
    const mark = board.timing.mark();
    await host.command(Op.FLASH_BEGIN, le(0x10000, 4, 0x4000, 0));
    for (let i = 0; i < 4; i++) await host.exchange(dataPacket(Op.FLASH_DATA, block(i, 0x4000), i));
    await host.command(Op.FLASH_END, le(1));
    const job = board.timing.since(mark);
    const wire = job.wireToBoardUs + job.wireToHostUs;
    const stats = board.flash.stats;
    const busy = stats.blockErases * DEFAULT_TIMING.blockEraseUs +
      stats.sectorErases * DEFAULT_TIMING.sectorEraseUs + 256 * DEFAULT_TIMING.pageProgramUs;
    assert.ok(Math.abs(job.busyUs - busy) < 1, "the erases and 256 page programs, nothing else");
    assert.ok(job.floorUs >= wire, "never faster than the wire");
    assert.ok(job.floorUs < wire + job.busyUs / 2, "most of the work hides behind the wire");
  } finally {
    await board.close();
  }
});

Deno.test("time model: with pace realtime the board still answers right, and reports the floor", async () => {
  const board = new SimBoard({ bootMode: "download", pace: "realtime", timing: { latencyMs: 1 } });
  const host = new SimTestHost(board);
  try {
    const mark = board.timing.mark();
    host.send(requestPacketOf(Op.READ_REG, le(0x40001000)));
    let frames: Uint8Array[] = [];
    for (let i = 0; i < 200 && frames.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      frames = await host.frames();
    }
    assert.deepEqual([...frames[0]!.subarray(4, 8)], [0x01, 0xc1, 0xf0, 0xff]);
    const job = board.timing.since(mark);
    assert.ok(job.floorUs >= wireUs(14, 115200) + wireUs(12, 115200));
    assert.ok(job.elapsedUs > 0);
  } finally {
    await board.close();
  }
});

function requestPacketOf(op: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  out[1] = op;
  new DataView(out.buffer).setUint16(2, data.length, true);
  out.set(data, 8);
  return out;
}
