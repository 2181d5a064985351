import assert from "node:assert/strict";
import { buildImage } from "../testing/build_image.ts";
import { SimBoard } from "./board.ts";
import { flashImage } from "./console_tap.ts";
import type { SimEvent } from "./sim_event.ts";

Deno.test("device: resets latch the boot mode; the watchdog resets with cause 4; run user code skips the header", async () => {
  const image = buildImage({ segments: [{ address: 0x40100000, data: new Uint8Array(16) }] });
  const events: SimEvent[] = [];
  const board = new SimBoard({
    flashContents: flashImage(1 << 20, image),
    flashSize: "1MB",
    bootMode: "download",
    app: () => ({ state: "app", receive() {}, idle: () => Promise.resolve(), stop() {} }),
    onEvent: (e) => events.push(e),
  });
  try {
    board.device.watchdogReset();
    assert.deepEqual(board.lastReset, { cause: 4, kind: "watchdog", mode: "download" });
    const tx: number[] = [];
    board.on((e) => e.type === "tx" && tx.push(...e.bytes));
    board.device.runUserCode();
    await board.idle();
    assert.equal(board.state, "app");
    assert.ok(!String.fromCharCode(...tx).includes("ets Jan"), "no ROM header");
    assert.match(String.fromCharCode(...tx), /^load 0x40100000, len 16, room 16 /);
    board.device.work(5000);
    const t = board.clock.now();
    await board.device.settle();
    assert.equal(board.clock.now() - t, 5000);
    await board.device.pause(1);
    assert.deepEqual(events.filter((e) => e.type === "boot").length, 2);
  } finally {
    await board.close();
  }
});

Deno.test("device: after close no restart happens and pauses end at once", async () => {
  const board = new SimBoard({ bootMode: "download" });
  await board.close();
  const before = board.lastReset;
  board.device.softReset();
  assert.equal(board.lastReset, before);
  await board.device.pause(60_000);
});
