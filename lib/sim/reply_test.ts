import assert from "node:assert/strict";
import { replyFrame, replyPacket } from "./reply.ts";

Deno.test("replyPacket: header, data, status; size override", () => {
  const p = replyPacket({ op: 0x13, value: 0, data: new Uint8Array([1, 2]), status: [0, 0] });
  assert.deepEqual([...p], [1, 0x13, 4, 0, 0, 0, 0, 0, 1, 2, 0, 0]);
  const ls = replyPacket({ op: 0x13, value: 0, status: [0xc0, 0], sizeField: 18 });
  assert.deepEqual([...ls], [1, 0x13, 18, 0, 0, 0, 0, 0, 0xc0, 0]);
});

Deno.test("replyFrame escapes C0 and DB in the value and status", () => {
  const f = replyFrame({ op: 0x0a, value: 0xc0dbc0db, status: [0xc0, 0] });
  assert.deepEqual([...f], [
    0xc0,
    1,
    0x0a,
    2,
    0,
    0xdb,
    0xdd,
    0xdb,
    0xdc,
    0xdb,
    0xdd,
    0xdb,
    0xdc,
    0xdb,
    0xdc,
    0,
    0xc0,
  ]);
});
