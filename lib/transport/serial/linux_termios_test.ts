import assert from "node:assert/strict";
import {
  makeRawTermios2,
  setTermios2Baud,
  summarizeTermios2,
  TCGETS2,
  TCSETS2,
  TERMIOS2_SIZE,
} from "./linux_termios.ts";

/** A termios2 as a fresh pty has it: cooked, echoing, B38400, CS8|CREAD|HUPCL. */
function cooked(): Uint8Array {
  const t = new Uint8Array(TERMIOS2_SIZE);
  const v = new DataView(t.buffer);
  v.setUint32(0, 0o2400 | 0o20000 | 0o40000, true); // ICRNL IXON IMAXBEL IUTF8
  v.setUint32(4, 0o5, true); // OPOST ONLCR
  v.setUint32(8, 0o17 | 0o60 | 0o200 | 0o2000, true); // B38400 CS8 CREAD HUPCL
  v.setUint32(12, 0o105073, true); // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  t[17 + 6] = 1; // VMIN
  t[17 + 5] = 0;
  v.setUint32(36, 38400, true);
  v.setUint32(40, 38400, true);
  return t;
}

Deno.test("termios2: the ioctl numbers encode a 44-byte struct", () => {
  assert.equal((TCGETS2 >>> 16) & 0x3fff, TERMIOS2_SIZE); // _IOR size field
  assert.equal((TCSETS2 >>> 16) & 0x3fff, TERMIOS2_SIZE);
  assert.equal(TCGETS2 >>> 30, 2); // read
  assert.equal(TCSETS2 >>> 30, 1); // write
});

Deno.test("termios2: raw mode clears processing, keeps HUPCL, sets 8N1 CLOCAL CREAD VMIN=1", () => {
  const t = cooked();
  const v = new DataView(t.buffer);
  v.setUint32(8, v.getUint32(8, true) | 0o400 | 0o100 | 0o20000000000, true); // PARENB CSTOPB CRTSCTS
  assert.equal(summarizeTermios2(t).raw, false);
  makeRawTermios2(t);
  const s = summarizeTermios2(t);
  assert.deepEqual(
    [s.raw, s.eightN1, s.localAndRead, s.vmin, s.vtime],
    [true, true, true, 1, 0],
  );
  assert.equal(v.getUint32(8, true) & 0o2000, 0o2000, "HUPCL untouched");
  assert.equal(v.getUint32(12, true) & 0o10, 0, "ECHO off");
  assert.equal(s.baud, 38400, "raw mode leaves the speed alone");
});

Deno.test("termios2: any baud goes through BOTHER in both directions", () => {
  for (const baud of [74880, 115200, 921600, 1_500_000, 3_000_000]) {
    const t = cooked();
    setTermios2Baud(t, baud);
    const cflag = new DataView(t.buffer).getUint32(8, true);
    assert.equal(cflag & 0o10017, 0o10000, "output speed bits = BOTHER");
    assert.equal((cflag >>> 16) & 0o10017, 0o10000, "input speed bits = BOTHER");
    assert.equal(cflag & 0o60, 0o60, "other cflag bits untouched");
    assert.equal(summarizeTermios2(t).baud, baud);
    assert.equal(summarizeTermios2(t).inputBaud, baud);
  }
  assert.throws(() => setTermios2Baud(cooked(), 0), RangeError);
  assert.throws(() => setTermios2Baud(new Uint8Array(36), 9600), RangeError);
});
