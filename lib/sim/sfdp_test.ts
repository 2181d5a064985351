import assert from "node:assert/strict";
import { SFDP_SIZE, sfdpTable } from "./sfdp.ts";

Deno.test("sfdpTable: header, parameter header and density per size", () => {
  for (const size of [0x40000, 0x100000, 0x1000000]) {
    const t = sfdpTable(size);
    const v = new DataView(t.buffer);
    assert.equal(t.length, SFDP_SIZE);
    assert.equal(v.getUint32(0, true), 0x50444653);
    assert.equal(t[6], 0, "one parameter header");
    assert.equal(v.getUint32(0x0c, true) & 0xffffff, 0x80, "basic table pointer");
    assert.equal(v.getUint32(0x84, true), size * 8 - 1);
    assert.equal(t[0x81], 0x20, "4 KiB erase opcode");
    assert.equal(t[0x10], 0xff, "no second header (not an XMC part)");
  }
});
