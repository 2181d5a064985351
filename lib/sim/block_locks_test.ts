import assert from "node:assert/strict";
import { BlockLocks } from "./block_locks.ts";

Deno.test("block locks: all locked at power-up; global unlock and lock", () => {
  const locks = new BlockLocks(0x400000);
  assert.equal(locks.overlaps(0, 0x400000), true);
  assert.equal(locks.isLocked(0x200000), true);
  locks.unlockAll();
  assert.equal(locks.overlaps(0, 0x400000), false);
  locks.lockAll();
  assert.equal(locks.isLocked(0x3fffff), true);
});

Deno.test("block locks: sectors in the first and last block, whole blocks between", () => {
  const locks = new BlockLocks(0x400000);
  locks.unlockAll();
  locks.lock(0x000000);
  assert.equal(locks.isLocked(0x000fff), true);
  assert.equal(locks.isLocked(0x001000), false, "bottom block: 4 KiB units");
  locks.lock(0x3f1234);
  assert.equal(locks.isLocked(0x3f1000), true);
  assert.equal(locks.isLocked(0x3f2000), false, "top block: 4 KiB units");
  assert.equal(locks.overlaps(0x3f0000, 0x1000), false);
  assert.equal(locks.overlaps(0x3f0000, 0x10000), true);
  locks.lock(0x01ffff);
  assert.equal(locks.isLocked(0x010000), true, "middle block: 64 KiB units");
  assert.equal(locks.isLocked(0x020000), false);
  locks.unlock(0x018000);
  assert.equal(locks.overlaps(0x010000, 0x10000), false);
  locks.lock(0x401000);
  assert.equal(locks.isLocked(0x001000), true, "addresses wrap at the capacity");
});
