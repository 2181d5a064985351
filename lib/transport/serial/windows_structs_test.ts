import assert from "node:assert/strict";
import {
  COMMTIMEOUTS_SIZE,
  DCB_SIZE,
  encodeCommTimeouts,
  encodeOverlapped,
  ESCAPE,
  MAXDWORD,
  patchDcb,
  PURGE,
  summarizeDcb,
  utf16z,
  windowsDevicePath,
} from "./windows_structs.ts";

Deno.test("windows: a DCB from GetCommState is patched to 8N1, no flow control, lines held", () => {
  const dcb = new Uint8Array(DCB_SIZE);
  const v = new DataView(dcb.buffer);
  // A driver's DCB with hardware flow control, even parity, 7 bits and XON/XOFF on.
  v.setUint32(8, 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x100 | 0x200 | 0x2000 | 0x4000, true);
  dcb[18] = 7;
  dcb[19] = 2;
  dcb[20] = 2;
  patchDcb(dcb, { baud: 74880, dtr: true, rts: false });
  assert.equal(v.getUint32(0, true), 28, "DCBlength");
  assert.equal(v.getUint32(4, true), 74880, "BaudRate takes any integer");
  const bits = v.getUint32(8, true);
  assert.equal(bits & 0x1, 1, "fBinary");
  assert.equal(bits & (0x2 | 0x4 | 0x8 | 0x100 | 0x200 | 0x4000), 0, "no parity check, no flow");
  assert.equal(bits & 0x30, 0x10, "DTR_CONTROL_ENABLE");
  assert.equal(bits & 0x3000, 0, "RTS_CONTROL_DISABLE");
  assert.deepEqual([dcb[18], dcb[19], dcb[20]], [8, 0, 0]);
  assert.deepEqual([dcb[21], dcb[22]], [0x11, 0x13], "XonChar != XoffChar");
  assert.deepEqual(summarizeDcb(dcb), {
    baud: 74880,
    eightN1: true,
    noFlowControl: true,
    dtr: true,
    rts: false,
  });
});

Deno.test("windows: COMMTIMEOUTS, OVERLAPPED, COM paths and codes", () => {
  const t = new DataView(encodeCommTimeouts(500).buffer);
  assert.equal(t.byteLength, COMMTIMEOUTS_SIZE);
  assert.deepEqual([0, 4, 8, 12, 16].map((o) => t.getUint32(o, true)), [
    MAXDWORD,
    MAXDWORD,
    500,
    0,
    0,
  ]);
  assert.throws(() => encodeCommTimeouts(0), RangeError);
  assert.throws(() => encodeCommTimeouts(MAXDWORD), RangeError);
  const ov = encodeOverlapped(0xdeadbeefn);
  assert.equal(ov.length, 32);
  assert.deepEqual(ov.subarray(0, 24), new Uint8Array(24));
  assert.equal(windowsDevicePath("COM3"), "\\\\.\\COM3");
  assert.equal(windowsDevicePath("\\\\.\\com10"), "\\\\.\\COM10");
  assert.equal(windowsDevicePath("COM0"), null);
  assert.equal(windowsDevicePath("LPT1"), null);
  assert.deepEqual(utf16z("\\\\.\\COM3").length, 9 * 2);
  assert.deepEqual(ESCAPE, { SETRTS: 3, CLRRTS: 4, SETDTR: 5, CLRDTR: 6 });
  assert.equal(PURGE.RXCLEAR, 8);
});
