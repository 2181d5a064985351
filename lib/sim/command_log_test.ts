import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { CommandLog, describeArgs } from "./command_log.ts";
import { le } from "./testing.ts";

Deno.test("describeArgs names the words of each command and ignores missing ones", () => {
  assert.deepEqual(describeArgs(Op.FLASH_BEGIN, le(0x1000, 4, 0x400, 0x3000)), {
    size: 0x1000,
    blocks: 4,
    blockSize: 0x400,
    offset: 0x3000,
  });
  assert.deepEqual(describeArgs(Op.MEM_END, le(0, 0x4010d004)), { flag: 0, entry: 0x4010d004 });
  assert.deepEqual(describeArgs(Op.READ_REG, new Uint8Array(2)), {});
  assert.deepEqual(
    describeArgs(Op.WRITE_REG, new Uint8Array([...le(1, 2, 3, 4), ...le(5, 6, 7, 8)])),
    {
      address: 1,
      value: 2,
      mask: 3,
      delayUs: 4,
      entries: 2,
    },
  );
  assert.deepEqual(describeArgs(0x77, le(1)), {});
});

Deno.test("CommandLog numbers records, names opcodes and keeps the newest", () => {
  const log = new CommandLog(3);
  for (let i = 0; i < 5; i++) {
    log.add({
      timeUs: i,
      loader: "stub",
      op: i % 2 ? Op.SYNC : 0x99,
      args: {},
      dataLength: 0,
      reply: "none",
    });
  }
  assert.deepEqual(log.entries.map((r) => [r.seq, r.name]), [[3, "0x99"], [4, "SYNC"], [
    5,
    "0x99",
  ]]);
  log.clear();
  assert.equal(log.entries.length, 0);
  assert.equal(
    log.add({ timeUs: 0, loader: "rom", op: 8, args: {}, dataLength: 0, reply: "none" }).seq,
    6,
  );
});
