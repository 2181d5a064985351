import assert from "node:assert/strict";
import { SimBoard } from "./board.ts";
import {
  dataPacket,
  le,
  parseReply,
  requestPacket,
  SimTestHost,
  SYNC_DATA,
  xorChecksum,
} from "./testing.ts";

Deno.test("test kit: packets by hand, replies parsed, raw bytes and frames collected", async () => {
  assert.deepEqual([
    ...requestPacket(0x0a, le(1), { size: 9, checksum: 0x1234, direction: 2 }).subarray(0, 8),
  ], [
    2,
    0x0a,
    9,
    0,
    0x34,
    0x12,
    0,
    0,
  ]);
  const d = dataPacket(0x03, new Uint8Array([1, 2, 3]), 5);
  assert.deepEqual([...d.subarray(4, 8)], [xorChecksum(new Uint8Array([1, 2, 3])), 0, 0, 0]);
  assert.deepEqual([...d.subarray(8, 16)], [3, 0, 0, 0, 5, 0, 0, 0]);
  assert.deepEqual(parseReply(new Uint8Array([1])).status, [-1, -1]);
  const board = new SimBoard({ bootMode: "download" });
  const host = new SimTestHost(board);
  host.send(requestPacket(0x08, SYNC_DATA));
  assert.equal((await host.rawBytes()).length, 96);
  assert.equal((await host.command(0x08, SYNC_DATA)).length, 8);
  await board.close();
});
