/**
 * The Linux kernel's `struct termios2` (the `TCGETS2`/`TCSETS2` ioctls) as pure functions over a
 * 44-byte buffer: raw 8N1 mode and any baud rate through `BOTHER`. Values are the asm-generic
 * ones (x86_64, arm64, arm, riscv); powerpc, mips, sparc and alpha differ and are not supported.
 *
 * Layout: c_iflag@0, c_oflag@4, c_cflag@8, c_lflag@12 (u32 each), c_line@16, c_cc[19]@17,
 * c_ispeed@36, c_ospeed@40.
 *
 * @module
 */

/** Size of `struct termios2` in bytes. */
export const TERMIOS2_SIZE = 44;

/** ioctl request numbers for the termios2 calls. */
export const TCGETS2 = 0x802c542a;
/** Sets termios2 at once. */
export const TCSETS2 = 0x402c542b;

const IFLAG = 0, OFLAG = 4, CFLAG = 8, LFLAG = 12, CC = 17, ISPEED = 36, OSPEED = 40;
const VTIME = 5, VMIN = 6;

// c_iflag
const IGNBRK = 0o1, BRKINT = 0o2, PARMRK = 0o10, INPCK = 0o20, ISTRIP = 0o40, INLCR = 0o100;
const IGNCR = 0o200, ICRNL = 0o400, IXON = 0o2000, IXANY = 0o4000, IXOFF = 0o10000;
// c_oflag
const OPOST = 0o1;
// c_lflag
const ISIG = 0o1, ICANON = 0o2, ECHO = 0o10, ECHONL = 0o100, IEXTEN = 0o100000;
// c_cflag
const CSIZE = 0o60, CS8 = 0o60, CSTOPB = 0o100, CREAD = 0o200, PARENB = 0o400;
const CLOCAL = 0o4000, CRTSCTS = 0o20000000000, CBAUD = 0o10017, BOTHER = 0o10000;
const IBSHIFT = 16;

const RAW_IFLAG_CLEAR = IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
  IXANY | IXOFF | INPCK;
const RAW_LFLAG_CLEAR = ECHO | ECHONL | ICANON | ISIG | IEXTEN;

/** What a termios2 buffer says, for checks and traces. */
export interface Termios2Summary {
  /** No input/output processing, no echo, no canonical mode, no signals. */
  raw: boolean;
  /** 8 data bits, no parity, 1 stop bit, no hardware flow control. */
  eightN1: boolean;
  /** CLOCAL and CREAD are set (ignore carrier detect, enable the receiver). */
  localAndRead: boolean;
  /** c_cc[VMIN]. */
  vmin: number;
  /** c_cc[VTIME]. */
  vtime: number;
  /** Output speed in baud (c_ospeed). */
  baud: number;
  /** Input speed in baud (c_ispeed). */
  inputBaud: number;
}

function view(t: Uint8Array): DataView {
  if (t.length < TERMIOS2_SIZE) {
    throw new RangeError(`termios2 needs ${TERMIOS2_SIZE} bytes, got ${t.length}`);
  }
  return new DataView(t.buffer, t.byteOffset, TERMIOS2_SIZE);
}

function update(v: DataView, offset: number, clear: number, set: number): void {
  v.setUint32(offset, ((v.getUint32(offset, true) & ~clear) | set) >>> 0, true);
}

/**
 * Puts a termios2 buffer (as read with `TCGETS2`) into raw 8N1 mode with VMIN=1/VTIME=0 and
 * CLOCAL|CREAD, like `cfmakeraw` plus no flow control. The baud rate is left alone.
 *
 * @param t the 44-byte buffer, changed in place
 *
 * @example
 * ```ts
 * import { makeRawTermios2, summarizeTermios2, TERMIOS2_SIZE } from "./linux_termios.ts";
 * import assert from "node:assert/strict";
 * const t = new Uint8Array(TERMIOS2_SIZE);
 * new DataView(t.buffer).setUint32(12, 0o10 | 0o2, true); // ECHO | ICANON
 * makeRawTermios2(t);
 * assert.equal(summarizeTermios2(t).raw, true);
 * assert.equal(summarizeTermios2(t).vmin, 1);
 * ```
 */
export function makeRawTermios2(t: Uint8Array): void {
  const v = view(t);
  update(v, IFLAG, RAW_IFLAG_CLEAR, 0);
  update(v, OFLAG, OPOST, 0);
  update(v, LFLAG, RAW_LFLAG_CLEAR, 0);
  update(v, CFLAG, CSIZE | PARENB | CSTOPB | CRTSCTS, CS8 | CREAD | CLOCAL);
  t[CC + VMIN] = 1;
  t[CC + VTIME] = 0;
}

/**
 * Sets any baud rate on a termios2 buffer: clears the CBAUD bits for both directions, sets
 * `BOTHER` for both, and writes the number into c_ispeed and c_ospeed.
 *
 * @param t the 44-byte buffer, changed in place
 * @param baud a positive integer rate (74880 and 921600 included)
 *
 * @example
 * ```ts
 * import { setTermios2Baud, summarizeTermios2, TERMIOS2_SIZE } from "./linux_termios.ts";
 * import assert from "node:assert/strict";
 * const t = new Uint8Array(TERMIOS2_SIZE);
 * setTermios2Baud(t, 74880);
 * assert.equal(summarizeTermios2(t).baud, 74880);
 * assert.equal(new DataView(t.buffer).getUint32(8, true) & 0o10017, 0o10000); // BOTHER
 * ```
 */
export function setTermios2Baud(t: Uint8Array, baud: number): void {
  if (!Number.isInteger(baud) || baud <= 0 || baud > 0xffffffff) {
    throw new RangeError(`Not a baud rate: ${baud}`);
  }
  const v = view(t);
  update(v, CFLAG, CBAUD | (CBAUD << IBSHIFT), BOTHER | (BOTHER << IBSHIFT));
  v.setUint32(ISPEED, baud, true);
  v.setUint32(OSPEED, baud, true);
}

/**
 * Reads the interesting parts of a termios2 buffer.
 *
 * @param t the 44-byte buffer
 * @returns raw mode, framing, VMIN/VTIME and speeds
 *
 * @example
 * ```ts
 * import { summarizeTermios2, TERMIOS2_SIZE } from "./linux_termios.ts";
 * import assert from "node:assert/strict";
 * assert.equal(summarizeTermios2(new Uint8Array(TERMIOS2_SIZE)).eightN1, false); // CS5
 * ```
 */
export function summarizeTermios2(t: Uint8Array): Termios2Summary {
  const v = view(t);
  const iflag = v.getUint32(IFLAG, true);
  const oflag = v.getUint32(OFLAG, true);
  const cflag = v.getUint32(CFLAG, true);
  const lflag = v.getUint32(LFLAG, true);
  return {
    raw: (iflag & RAW_IFLAG_CLEAR) === 0 && (oflag & OPOST) === 0 &&
      (lflag & RAW_LFLAG_CLEAR) === 0,
    eightN1: (cflag & CSIZE) === CS8 && (cflag & (PARENB | CSTOPB)) === 0 &&
      (cflag & CRTSCTS) === 0,
    localAndRead: (cflag & (CLOCAL | CREAD)) === (CLOCAL | CREAD),
    vmin: t[CC + VMIN]!,
    vtime: t[CC + VTIME]!,
    baud: v.getUint32(OSPEED, true),
    inputBaud: v.getUint32(ISPEED, true),
  };
}
