import assert from "node:assert/strict";
import { NorFlash } from "./nor_flash.ts";
import { SpiFlashChip } from "./spi_flash_chip.ts";

/** Bits of bytes MSB first, plus `idle` 1-bits. */
function bits(bytes: number[], idle = 0): Uint8Array {
  const out: number[] = [];
  for (const b of bytes) for (let i = 7; i >= 0; i--) out.push((b >>> i) & 1);
  return new Uint8Array([...out, ...new Array(idle).fill(1)]);
}

function bytesAt(out: Uint8Array, start: number, count: number): number[] {
  const r: number[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (let j = 0; j < 8; j++) v = (v << 1) | (out[start + i * 8 + j] ?? 1);
    r.push(v);
  }
  return r;
}

function chip(size = 0x400000, status = 0) {
  const flash = new NorFlash(size);
  return { flash, chip: new SpiFlashChip(flash, { jedecId: 0x1640ef, status }) };
}

Deno.test("chip: RDID, REMS, RES and the unique id", () => {
  const { chip: c } = chip();
  assert.deepEqual(bytesAt(c.transfer(0x9f, bits([], 24)), 0, 3), [0xef, 0x40, 0x16]);
  assert.deepEqual(bytesAt(c.transfer(0x90, bits([0, 0, 0], 16)), 24, 2), [0xef, 0x15]);
  assert.deepEqual(bytesAt(c.transfer(0xab, bits([0, 0, 0], 8)), 24, 1), [0x15]);
  const id = bytesAt(c.transfer(0x4b, bits([0, 0, 0, 0], 64)), 32, 8);
  assert.equal(id.length, 8);
  assert.notDeepEqual(id, [255, 255, 255, 255, 255, 255, 255, 255]);
});

Deno.test("chip: program needs the write-enable latch and clears bits only", () => {
  const { chip: c, flash } = chip();
  c.transfer(0x02, bits([0x00, 0x01, 0x00, 0x12, 0x34]));
  assert.deepEqual(flash.read(0x100, 2), new Uint8Array([0xff, 0xff]), "no WREN: ignored");
  c.transfer(0x06, bits([]));
  assert.equal(c.status & 2, 2, "WEL set");
  c.transfer(0x02, bits([0x00, 0x01, 0x00, 0x12, 0x34]));
  assert.deepEqual(flash.read(0x100, 2), new Uint8Array([0x12, 0x34]));
  assert.equal(c.status & 2, 0, "WEL cleared by the program");
  const read = c.transfer(0x03, bits([0x00, 0x01, 0x00], 16));
  assert.deepEqual(bytesAt(read, 24, 2), [0x12, 0x34]);
  const fast = c.transfer(0x0b, bits([0x00, 0x01, 0x00], 8 + 16));
  assert.deepEqual(bytesAt(fast, 32, 2), [0x12, 0x34]);
});

Deno.test("chip: a page program wraps inside its page; addresses wrap at the capacity", () => {
  const { chip: c, flash } = chip(0x100000);
  c.transfer(0x06, bits([]));
  c.transfer(0x02, bits([0x00, 0x00, 0xff, 1, 2, 3]));
  assert.deepEqual(flash.read(0xff, 1), new Uint8Array([1]));
  assert.deepEqual(flash.read(0x0, 2), new Uint8Array([2, 3]));
  assert.equal(c.romWrite(0x100000 + 0x5000, new Uint8Array([9])), true);
  assert.equal(flash.read(0x5000, 1)[0], 9);
});

Deno.test("chip: sector, 32K, 64K and chip erase", () => {
  const { chip: c, flash } = chip(0x100000);
  flash.program(0, new Uint8Array(0x100000));
  c.transfer(0x06, bits([]));
  c.transfer(0x20, bits([0x00, 0x10, 0x00]));
  assert.equal(flash.isBlank(0x1000, 0x1000), true);
  assert.equal(flash.isBlank(0x2000, 1), false);
  c.transfer(0x06, bits([]));
  c.transfer(0x52, bits([0x00, 0x80, 0x00]));
  assert.equal(flash.isBlank(0x8000, 0x8000), true);
  c.transfer(0x06, bits([]));
  c.transfer(0xd8, bits([0x01, 0x23, 0x45]));
  assert.equal(flash.isBlank(0x10000, 0x10000), true);
  c.transfer(0x20, bits([0x00, 0x30, 0x00]));
  assert.equal(flash.isBlank(0x30000, 1), false, "no WEL, no erase");
  c.transfer(0x06, bits([]));
  c.transfer(0x20, bits([0x00, 0x30]));
  assert.equal(flash.isBlank(0x30000, 1), false, "wrong address length: not executed");
  c.transfer(0x06, bits([]));
  c.transfer(0xc7, bits([]));
  assert.equal(flash.isBlank(0, 0x100000), true);
});

Deno.test("chip: status registers, volatile writes, OTP lock bits and software reset", () => {
  const { chip: c } = chip();
  c.transfer(0x50, bits([]));
  c.transfer(0x01, bits([0x00, 0x02]));
  assert.equal(c.status, 0x0200, "volatile write of SR1+SR2");
  c.transfer(0x66, bits([]));
  c.transfer(0x99, bits([]));
  assert.equal(c.status, 0, "reset restores the non-volatile values");
  c.transfer(0x06, bits([]));
  c.transfer(0x31, bits([0x0a]));
  assert.equal(c.status, 0x0a00, "SR2 QE + LB1");
  c.transfer(0x06, bits([]));
  c.transfer(0x31, bits([0x00]));
  assert.equal(c.status, 0x0800, "LB1 stays set");
  c.transfer(0x99, bits([]));
  c.powerCycle();
  assert.equal(c.status, 0x0800, "non-volatile");
  assert.deepEqual(bytesAt(c.transfer(0x35, bits([], 16)), 0, 2), [0x08, 0x08]);
  c.transfer(0x06, bits([]));
  c.transfer(0x11, bits([0x60]));
  assert.equal((c.status >>> 16) & 0xff, 0x60);
});

Deno.test("chip: protection bits guard programs and erases; SPIUnlock clears them", () => {
  const { chip: c, flash } = chip(0x400000, 0b000_001_00);
  c.romWrite(0x3f0000, new Uint8Array([0]));
  assert.equal(flash.read(0x3f0000, 1)[0], 0xff, "top 64K protected");
  c.romWrite(0x3e0000, new Uint8Array([0]));
  assert.equal(flash.read(0x3e0000, 1)[0], 0);
  c.romErase("chip");
  assert.equal(flash.read(0x3e0000, 1)[0], 0, "chip erase refused while anything is protected");
  assert.equal(c.romUnlock(), true);
  c.romErase("chip");
  assert.equal(flash.isBlank(0, 0x400000), true);
});

Deno.test("chip: deep power-down silences everything but 0xAB", () => {
  const { chip: c } = chip();
  c.transfer(0xb9, bits([]));
  assert.equal(c.poweredDown, true);
  assert.deepEqual(bytesAt(c.transfer(0x9f, bits([], 24)), 0, 3), [0xff, 0xff, 0xff]);
  assert.equal(c.romWrite(0, new Uint8Array([0])), false);
  assert.deepEqual(c.romRead(0, 2), new Uint8Array([0xff, 0xff]));
  c.transfer(0xab, bits([]));
  assert.equal(c.poweredDown, false);
});

Deno.test("chip: SFDP with the right and the wrong number of dummy cycles", () => {
  const { chip: c } = chip();
  const good = c.transfer(0x5a, bits([0, 0, 0], 8 + 32));
  assert.deepEqual(bytesAt(good, 32, 4), [0x53, 0x46, 0x44, 0x50]);
  const none = c.transfer(0x5a, bits([0, 0, 0], 32));
  assert.notDeepEqual(
    bytesAt(none, 24, 4),
    [0x53, 0x46, 0x44, 0x50],
    "no dummy: shifted by a byte",
  );
  assert.deepEqual(bytesAt(none, 24, 4), [0xff, 0x53, 0x46, 0x44]);
});
