import assert from "node:assert/strict";
import { slipEncode } from "../bytes/slip.ts";
import { SimBoard } from "./board.ts";
import { connectSimLink } from "./sim_link.ts";
import { requestPacket, SYNC_DATA } from "./testing.ts";

Deno.test("a memory link carries bytes, lines and baud to the board", async () => {
  const board = new SimBoard({ bootMode: "download" });
  const link = connectSimLink(board, { url: "sim://test", baudRate: 74880 });
  assert.equal(board.uart.hostBaud, 74880);
  const reader = link.transport.readable.getReader();
  await link.transport.setBaudRate(115200);
  await link.transport.setSignals({ dtr: true, rts: true });
  assert.deepEqual(board.signals, { dtr: true, rts: true });
  await link.transport.write(slipEncode(requestPacket(0x08, SYNC_DATA)));
  await board.idle();
  const { value } = await reader.read();
  assert.equal(value?.length, 8 * 12, "all 8 SYNC replies");
  reader.releaseLock();
  await link.transport.close();
  assert.equal(link.closed, true);
  await board.close();
});
