/**
 * Windows serial structures and numbers as pure functions, testable on any OS: the 28-byte `DCB`,
 * the 20-byte `COMMTIMEOUTS`, the 32-byte x64 `OVERLAPPED`, `\\.\COMn` paths in UTF-16, and the
 * `EscapeCommFunction`/`PurgeComm` codes (values from the Windows SDK headers).
 *
 * DCB layout: DCBlength u32@0, BaudRate u32@4, bit fields u32@8, wReserved u16@12, XonLim
 * u16@14, XoffLim u16@16, ByteSize u8@18, Parity u8@19, StopBits u8@20, XonChar@21, XoffChar@22,
 * ErrorChar@23, EofChar@24, EvtChar@25, wReserved1 u16@26.
 *
 * @module
 */

/** Size of `DCB`. */
export const DCB_SIZE = 28;
/** Size of `COMMTIMEOUTS`. */
export const COMMTIMEOUTS_SIZE = 20;
/** Size of `OVERLAPPED` on x64. */
export const OVERLAPPED_SIZE = 32;
/** `MAXDWORD`. */
export const MAXDWORD = 0xffffffff;

/** `EscapeCommFunction` codes. */
export const ESCAPE = { SETRTS: 3, CLRRTS: 4, SETDTR: 5, CLRDTR: 6 } as const;
/** `PurgeComm` flags. */
export const PURGE = { TXABORT: 1, RXABORT: 2, TXCLEAR: 4, RXCLEAR: 8 } as const;

// DCB bit fields
const F_BINARY = 0x1, F_PARITY = 0x2, F_OUTX_CTS = 0x4, F_OUTX_DSR = 0x8;
const F_DTR_CONTROL = 0x30, DTR_ENABLE = 0x10;
const F_DSR_SENSITIVITY = 0x40, F_TX_CONTINUE_ON_XOFF = 0x80, F_OUTX = 0x100, F_INX = 0x200;
const F_ERROR_CHAR = 0x400, F_NULL = 0x800, F_RTS_CONTROL = 0x3000, RTS_ENABLE = 0x1000;
const F_ABORT_ON_ERROR = 0x4000;

/** What a DCB says, for checks. */
export interface DcbSummary {
  /** BaudRate. */
  baud: number;
  /** ByteSize 8, Parity NOPARITY, StopBits ONESTOPBIT. */
  eightN1: boolean;
  /** No CTS/DSR/XON-XOFF flow control, binary mode, no abort-on-error. */
  noFlowControl: boolean;
  /** DTR held asserted by the driver (DTR_CONTROL_ENABLE). */
  dtr: boolean;
  /** RTS held asserted by the driver (RTS_CONTROL_ENABLE). */
  rts: boolean;
}

function view(dcb: Uint8Array): DataView {
  if (dcb.length < DCB_SIZE) throw new RangeError(`DCB needs ${DCB_SIZE} bytes, got ${dcb.length}`);
  return new DataView(dcb.buffer, dcb.byteOffset, DCB_SIZE);
}

/**
 * Sets a DCB (as read with `GetCommState`) to raw 8N1 at `baud`, no flow control, with DTR and
 * RTS held in the given states, so that `SetCommState` (for a baud change) does not toggle the
 * lines and reset the board.
 *
 * @param dcb the 28-byte DCB, changed in place
 * @param settings baud rate and the current DTR/RTS states (`true` = asserted)
 *
 * @example
 * ```ts
 * import { patchDcb, summarizeDcb } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * const dcb = new Uint8Array(28);
 * patchDcb(dcb, { baud: 74880, dtr: false, rts: true });
 * assert.deepEqual(summarizeDcb(dcb), {
 *   baud: 74880, eightN1: true, noFlowControl: true, dtr: false, rts: true,
 * });
 * ```
 */
export function patchDcb(
  dcb: Uint8Array,
  settings: { baud: number; dtr: boolean; rts: boolean },
): void {
  const v = view(dcb);
  v.setUint32(0, DCB_SIZE, true);
  v.setUint32(4, settings.baud, true);
  let bits = v.getUint32(8, true);
  bits &= ~(F_PARITY | F_OUTX_CTS | F_OUTX_DSR | F_DTR_CONTROL | F_DSR_SENSITIVITY | F_OUTX |
    F_INX | F_ERROR_CHAR | F_NULL | F_RTS_CONTROL | F_ABORT_ON_ERROR);
  bits |= F_BINARY | F_TX_CONTINUE_ON_XOFF;
  if (settings.dtr) bits |= DTR_ENABLE;
  if (settings.rts) bits |= RTS_ENABLE;
  v.setUint32(8, bits >>> 0, true);
  dcb[18] = 8; // ByteSize
  dcb[19] = 0; // NOPARITY
  dcb[20] = 0; // ONESTOPBIT
  if (dcb[21] === dcb[22]) {
    dcb[21] = 0x11; // XonChar: some drivers refuse a DCB whose XonChar equals XoffChar
    dcb[22] = 0x13;
  }
}

/**
 * Reads back a DCB.
 *
 * @param dcb the 28-byte DCB
 * @returns baud, framing, flow control and line states
 *
 * @example
 * ```ts
 * import { summarizeDcb } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(summarizeDcb(new Uint8Array(28)).eightN1, false);
 * ```
 */
export function summarizeDcb(dcb: Uint8Array): DcbSummary {
  const v = view(dcb);
  const bits = v.getUint32(8, true);
  return {
    baud: v.getUint32(4, true),
    eightN1: dcb[18] === 8 && dcb[19] === 0 && dcb[20] === 0,
    noFlowControl: (bits & F_BINARY) !== 0 &&
      (bits & (F_OUTX_CTS | F_OUTX_DSR | F_OUTX | F_INX | F_ABORT_ON_ERROR)) === 0 &&
      (bits & F_DTR_CONTROL) !== 0x20 && (bits & F_RTS_CONTROL) !== 0x2000,
    dtr: (bits & F_DTR_CONTROL) === DTR_ENABLE,
    rts: (bits & F_RTS_CONTROL) === RTS_ENABLE,
  };
}

/**
 * Encodes `COMMTIMEOUTS`. The default is the "return as soon as one byte is there, else after
 * `readConstantMs`" preset (`MAXDWORD, MAXDWORD, n`) and no write timeout.
 *
 * @param readConstantMs how long an empty read waits (0 < n < MAXDWORD)
 * @returns the 20-byte structure
 *
 * @example
 * ```ts
 * import { encodeCommTimeouts } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * const t = new DataView(encodeCommTimeouts(200).buffer);
 * assert.deepEqual([0, 4, 8, 12, 16].map((o) => t.getUint32(o, true)), [0xffffffff, 0xffffffff, 200, 0, 0]);
 * ```
 */
export function encodeCommTimeouts(readConstantMs: number): Uint8Array {
  if (!(readConstantMs > 0 && readConstantMs < MAXDWORD)) {
    throw new RangeError(`The read timeout must be between 1 and ${MAXDWORD - 1} ms`);
  }
  const out = new Uint8Array(COMMTIMEOUTS_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, MAXDWORD, true); // ReadIntervalTimeout
  v.setUint32(4, MAXDWORD, true); // ReadTotalTimeoutMultiplier
  v.setUint32(8, readConstantMs, true); // ReadTotalTimeoutConstant
  return out;
}

/**
 * The path `CreateFileW` needs for a COM port: `COM3` -> `\\.\COM3` (mandatory for COM10 and
 * up), or `null` when the name is not a COM port.
 *
 * @param name `COM3`, `com12` or `\\.\COM3`
 * @returns the device path, upper-case
 *
 * @example
 * ```ts
 * import { windowsDevicePath } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(windowsDevicePath("com12"), "\\\\.\\COM12");
 * assert.equal(windowsDevicePath("/dev/ttyUSB0"), null);
 * ```
 */
export function windowsDevicePath(name: string): string | null {
  const m = /^(?:\\\\\.\\)?(COM[1-9]\d{0,2})$/i.exec(name);
  return m ? `\\\\.\\${m[1]!.toUpperCase()}` : null;
}

/**
 * UTF-16LE with a terminating NUL, for the `W` functions.
 *
 * @param text the string
 * @returns the bytes
 *
 * @example
 * ```ts
 * import { utf16z } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(utf16z("A"), new Uint8Array([0x41, 0, 0, 0]));
 * ```
 */
export function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  const v = new DataView(out.buffer);
  for (let i = 0; i < text.length; i++) v.setUint16(i * 2, text.charCodeAt(i), true);
  return out;
}

/**
 * A zeroed x64 `OVERLAPPED` whose `hEvent` (offset 24) is the given event handle.
 *
 * @param event the handle's pointer value (`Deno.UnsafePointer.value`)
 * @returns the 32-byte structure
 *
 * @example
 * ```ts
 * import { encodeOverlapped } from "./windows_structs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(new DataView(encodeOverlapped(0x1234n).buffer).getBigUint64(24, true), 0x1234n);
 * ```
 */
export function encodeOverlapped(event: bigint): Uint8Array {
  const out = new Uint8Array(OVERLAPPED_SIZE);
  new DataView(out.buffer).setBigUint64(24, event, true);
  return out;
}
