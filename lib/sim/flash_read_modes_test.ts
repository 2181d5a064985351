import assert from "node:assert/strict";
import { FlashReadModes } from "./flash_read_modes.ts";

const addresses = (m: FlashReadModes, command: number, at: number, n: number) =>
  Array.from({ length: n }, (_, i) => m.arrayAddress(command, at, i));

Deno.test("read modes: burst with wrap lengths 8, 16, 32, 64 for 0xEB and 0xE7 only", () => {
  const m = new FlashReadModes();
  for (const [w, len] of [[0x00, 8], [0x20, 16], [0x40, 32], [0x60, 64]] as const) {
    m.setBurst(w);
    assert.equal(m.arrayAddress(0xeb, 0x1005, len - 5), 0x1000, `W=${w}`);
    assert.equal(m.arrayAddress(0xe7, 0x1004, len - 4), 0x1000, `W=${w}`);
    assert.equal(m.arrayAddress(0xbb, 0x1005, len - 5), 0x1000 + len, "0xBB never wraps");
  }
  m.setBurst(0x00);
  assert.deepEqual(addresses(m, 0xeb, 0x106, 4), [0x106, 0x107, 0x100, 0x101]);
  m.setBurst(0x10);
  assert.deepEqual(addresses(m, 0xeb, 0x106, 4), [0x106, 0x107, 0x108, 0x109], "W4 = 1");
  m.setBurst(0x00);
  m.reset();
  assert.equal(m.arrayAddress(0xeb, 0x107, 1), 0x108, "reset turns wrapping off");
});

Deno.test("read modes: word and octal word reads ignore their low address bits", () => {
  const m = new FlashReadModes();
  assert.equal(m.arrayAddress(0xe7, 0x201, 0), 0x200);
  assert.equal(m.arrayAddress(0xe3, 0x20f, 1), 0x201);
  assert.equal(m.arrayAddress(0x03, 0x20f, 1), 0x210);
});

Deno.test("read modes: continuous read mode needs M5..4 = 10 and lasts one cycle at a time", () => {
  const m = new FlashReadModes();
  for (const mode of [0xff, 0x00, 0x30, 0x10, undefined]) {
    m.afterRead(0xeb, mode);
    assert.equal(m.continuous, false, String(mode));
  }
  m.afterRead(0x94, 0x20);
  assert.equal(m.continuous, false, "ID reads never enter it");
  m.afterRead(0xbb, 0xa5);
  assert.equal(m.continuous, true, "0xA5: M5..4 = 10");
  assert.equal(m.takeContinuous(), 0xbb);
  assert.equal(m.continuous, false);
  m.afterRead(0xe3, 0x20);
  m.reset();
  assert.equal(m.continuous, false);
});
