import assert from "node:assert/strict";
import { Ram, RAM_REGIONS } from "./ram.ts";

Deno.test("Ram covers DRAM and IRAM, refuses ranges that leave a region, clears", () => {
  const ram = new Ram();
  for (const r of RAM_REGIONS) {
    assert.equal(ram.write(r.end - 4, new Uint8Array([1, 2, 3, 4])), true);
    assert.equal(ram.write(r.end - 2, new Uint8Array([1, 2, 3, 4])), false, "crosses the end");
    assert.equal(ram.read32(r.end - 4), 0x04030201);
  }
  assert.equal(ram.contains(0x3ffe7ffc, 4), false);
  assert.equal(
    ram.read(0x40108000, 0x8000)?.length,
    0x8000,
    "the cache half of IRAM is RAM in the loader",
  );
  assert.equal(ram.write32(0x50000000, 1), false);
  ram.clear();
  assert.equal(ram.read32(0x3ffffffc), 0);
});
