import assert from "node:assert/strict";
import { SimBoard } from "./board.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";

Deno.test("ConsoleTap: collects, clears, types and times out saying what came", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const tap = new ConsoleTap(board, { baud: 74880 });
  try {
    board.reset({ mode: "download" });
    await tap.until("(1,7)");
    assert.equal(tap.bytes.length, tap.text.length);
    tap.clear();
    assert.equal(tap.text, "");
    await assert.rejects(tap.until("never", 20), /never.*did not come within 20 ms; got ""/);
    tap.type("\xc0");
    assert.equal(board.uart.hostBaud, 74880);
  } finally {
    await board.close();
  }
});

Deno.test("flashImage: erased flash with parts at their offsets", () => {
  const f = flashImage(0x20000, [[0x10, new Uint8Array([1, 2])], [0x10000, new Uint8Array([3])]]);
  assert.deepEqual([f[0xf], f[0x10], f[0x11], f[0x12], f[0x10000]], [0xff, 1, 2, 0xff, 3]);
});
