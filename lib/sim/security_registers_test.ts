import assert from "node:assert/strict";
import { securityRegisterOf, SecurityRegisters } from "./security_registers.ts";

Deno.test("security registers: addresses select registers 1..3, nothing else", () => {
  assert.equal(securityRegisterOf(0x001000), 1);
  assert.equal(securityRegisterOf(0x0010ff), 1);
  assert.equal(securityRegisterOf(0x003080), 3);
  for (const a of [0x000000, 0x004000, 0x011000, 0x001100, 0x101000]) {
    assert.equal(securityRegisterOf(a), undefined, a.toString(16));
  }
  const regs = new SecurityRegisters();
  regs.program(0x000010, new Uint8Array([0]));
  regs.program(0x004010, new Uint8Array([0]));
  assert.equal(regs.read(0x000010, 0), 0xff);
  for (const base of [0x1000, 0x2000, 0x3000]) assert.equal(regs.read(base + 0x10, 0), 0xff);
});

Deno.test("security registers: NOR rules, wrapping and independent registers", () => {
  const regs = new SecurityRegisters();
  regs.program(0x2000, new Uint8Array([0xf0]));
  regs.program(0x2000, new Uint8Array([0x3c]));
  assert.equal(regs.read(0x2000, 0), 0x30, "programs clear bits only");
  assert.equal(regs.read(0x1000, 0), 0xff, "register 1 untouched");
  const burst = new Uint8Array(300).map((_, i) => i & 0xff);
  regs.program(0x3000, burst);
  assert.equal(regs.read(0x3000, 0), 300 - 256, "only the last 256 bytes count");
  assert.equal(regs.read(0x30ff, 1), regs.read(0x3000, 0), "reads wrap from 0xFF to 0x00");
  regs.erase(0x3080);
  for (let i = 0; i < 256; i++) assert.equal(regs.read(0x3000, i), 0xff);
  assert.equal(regs.read(0x2000, 0), 0x30, "erase leaves the other registers");
});
