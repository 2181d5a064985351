import assert from "node:assert/strict";
import { FlashStatusRegisters } from "./flash_status_registers.ts";

Deno.test("status registers: WEL is needed, consumed, and shows in SR1", () => {
  const s = new FlashStatusRegisters(0);
  assert.equal(s.takeWriteEnable(), false);
  s.writeEnable();
  assert.equal(s.value, 0x02);
  assert.equal(s.takeWriteEnable(), true);
  assert.equal(s.value, 0);
  s.writeEnable();
  s.writeDisable();
  s.write(0, [0x1c]);
  assert.equal(s.value, 0, "no WEL: ignored");
});

Deno.test("status registers: LB bits lock security registers and are one-time", () => {
  const s = new FlashStatusRegisters(0);
  s.writeEnable();
  s.write(1, [0x10]); // LB2
  assert.deepEqual([s.securityLocked(1), s.securityLocked(2), s.securityLocked(3)], [
    false,
    true,
    false,
  ]);
  s.writeEnable();
  s.write(1, [0x00]);
  assert.equal(s.securityLocked(2), true, "cannot be cleared");
  s.reset();
  assert.equal(s.securityLocked(2), true, "non-volatile");
});

Deno.test("status registers: volatile writes, WPS, SPIUnlock and reset", () => {
  const s = new FlashStatusRegisters(0x04_00_00 | 0x0c);
  assert.equal(s.individualLocks, true, "WPS from the initial SR3");
  assert.equal(s.sr1, 0x0c);
  s.volatileWriteEnable();
  s.write(2, [0x00]);
  assert.equal(s.individualLocks, false);
  s.reset();
  assert.equal(s.individualLocks, true, "volatile write undone by a reset");
  s.clearProtection();
  s.reset();
  assert.equal(s.sr1, 0, "SPIUnlock clears BP bits for good");
  assert.equal(s.value, 0x040000);
  s.writeEnable();
  s.write(0, [0xff, 0xff]);
  assert.equal(s.value & 0xffff, 0x7bfc, "BUSY, WEL, reserved and SUS stay 0");
});
