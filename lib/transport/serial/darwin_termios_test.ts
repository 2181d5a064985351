import assert from "node:assert/strict";
import {
  DARWIN_TERMIOS_SIZE,
  darwinSpeedPlan,
  encodeSpeedArg,
  IOSSIOSPEED,
  IOSSIOSPEED_32,
  makeRawDarwinTermios,
  summarizeDarwinTermios,
} from "./darwin_termios.ts";

/** BSD `_IOW(group, num, size)`. */
function iow(group: string, num: number, size: number): bigint {
  return BigInt(0x80000000 | (size << 16) | (group.charCodeAt(0) << 8) | num) & 0xffffffffn;
}

Deno.test("darwin termios: 72 bytes, 8-byte fields at 0/8/16/24, c_cc at 32, speeds at 56/64", () => {
  assert.equal(DARWIN_TERMIOS_SIZE, 72);
  const t = new Uint8Array(72).fill(0xff); // every flag set, like a worst-case cooked tty
  makeRawDarwinTermios(t, 115200);
  const v = new DataView(t.buffer);
  assert.equal(v.getBigUint64(56, true), 115200n);
  assert.equal(v.getBigUint64(64, true), 115200n);
  assert.equal(t[32 + 16], 1, "VMIN is c_cc[16] on macOS");
  assert.equal(t[32 + 17], 0, "VTIME is c_cc[17]");
  assert.equal(v.getBigUint64(16, true) & 0x300n, 0x300n, "CS8");
  assert.equal(v.getBigUint64(16, true) & 0x8800n, 0x8800n, "CLOCAL | CREAD");
  assert.equal(v.getBigUint64(16, true) & 0x31400n, 0n, "no parity, one stop bit, no RTS/CTS");
  assert.equal(v.getBigUint64(24, true) & 0x598n, 0n, "no ECHO ECHONL ISIG ICANON IEXTEN");
  assert.equal(v.getBigUint64(8, true) & 1n, 0n, "no OPOST");
  assert.equal(v.getUint32(28, true), 0xffffffff, "upper half of c_lflag untouched");
  const s = summarizeDarwinTermios(t);
  assert.deepEqual(s, { raw: true, eightN1: true, vmin: 1, vtime: 0, baud: 115200 });
});

Deno.test("darwin termios: non-standard rates go through IOSSIOSPEED after tcsetattr", () => {
  assert.deepEqual(darwinSpeedPlan(230400), { termiosSpeed: 230400, iossiospeed: null });
  assert.deepEqual(darwinSpeedPlan(921600), { termiosSpeed: 9600, iossiospeed: 921600 });
  assert.equal(IOSSIOSPEED, iow("T", 2, 8));
  assert.equal(IOSSIOSPEED_32, iow("T", 2, 4));
  assert.deepEqual(encodeSpeedArg(921600, 4), new Uint8Array([0x00, 0x10, 0x0e, 0x00]));
  assert.equal(new DataView(encodeSpeedArg(74880, 8).buffer).getBigUint64(0, true), 74880n);
});
