/**
 * macOS `struct termios` and baud handling as pure functions, testable on any OS.
 *
 * Layout on 64-bit macOS (`tcflag_t` and `speed_t` are `unsigned long`, 8 bytes): c_iflag@0,
 * c_oflag@8, c_cflag@16, c_lflag@24, c_cc[20]@32, 4 bytes of padding, c_ispeed@56,
 * c_ospeed@64: 72 bytes. The B-constants are the rates themselves (B115200 = 115200).
 *
 * Rates the tty layer does not know (74880, 921600 on many drivers) are set with the
 * `IOSSIOSPEED` ioctl *after* `tcsetattr` (which would otherwise reset them); see
 * {@link darwinSpeedPlan}.
 *
 * @module
 */

/** Size of macOS `struct termios`. */
export const DARWIN_TERMIOS_SIZE = 72;

const IFLAG = 0, OFLAG = 8, CFLAG = 16, LFLAG = 24, CC = 32, ISPEED = 56, OSPEED = 64;
const VMIN = 16, VTIME = 17;

// c_iflag
const IGNBRK = 0x1, BRKINT = 0x2, PARMRK = 0x8, INPCK = 0x10, ISTRIP = 0x20, INLCR = 0x40;
const IGNCR = 0x80, ICRNL = 0x100, IXON = 0x200, IXOFF = 0x400, IXANY = 0x800;
// c_oflag
const OPOST = 0x1;
// c_lflag
const ECHO = 0x8, ECHONL = 0x10, ISIG = 0x80, ICANON = 0x100, IEXTEN = 0x400;
// c_cflag
const CSIZE = 0x300, CS8 = 0x300, CSTOPB = 0x400, CREAD = 0x800, PARENB = 0x1000;
const CLOCAL = 0x8000, CRTSCTS = 0x30000;

/** `IOSSIOSPEED` = `_IOW('T', 2, speed_t)` with an 8-byte `speed_t`. */
export const IOSSIOSPEED = 0x80085402n;
/** The 4-byte form some projects use; tried when the 8-byte one is refused. */
export const IOSSIOSPEED_32 = 0x80045402n;

/** Rates the macOS tty layer accepts in `c_ispeed`/`c_ospeed` directly. */
const STANDARD = new Set([
  50,
  75,
  110,
  134,
  150,
  200,
  300,
  600,
  1200,
  1800,
  2400,
  4800,
  7200,
  9600,
  14400,
  19200,
  28800,
  38400,
  57600,
  76800,
  115200,
  230400,
]);

/** How to reach a baud rate on macOS. */
export interface DarwinSpeedPlan {
  /** The speed to put in the termios for `tcsetattr`. */
  termiosSpeed: number;
  /** The rate to set with `IOSSIOSPEED` afterwards, or `null` when the termios speed is it. */
  iossiospeed: number | null;
}

function view(t: Uint8Array): DataView {
  if (t.length < DARWIN_TERMIOS_SIZE) {
    throw new RangeError(`macOS termios needs ${DARWIN_TERMIOS_SIZE} bytes, got ${t.length}`);
  }
  return new DataView(t.buffer, t.byteOffset, DARWIN_TERMIOS_SIZE);
}

/** The low 32 bits of a field (every flag macOS defines lives there). */
function get(v: DataView, offset: number): number {
  return Number(v.getBigUint64(offset, true) & 0xffffffffn);
}

function update(v: DataView, offset: number, clear: number, set: number): void {
  const value = (v.getBigUint64(offset, true) & ~BigInt(clear)) | BigInt(set);
  v.setBigUint64(offset, BigInt.asUintN(64, value), true);
}

/**
 * Chooses between a plain termios speed and `IOSSIOSPEED`.
 *
 * @param baud the wanted rate
 * @returns the plan
 *
 * @example
 * ```ts
 * import { darwinSpeedPlan } from "./darwin_termios.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(darwinSpeedPlan(115200), { termiosSpeed: 115200, iossiospeed: null });
 * assert.deepEqual(darwinSpeedPlan(74880), { termiosSpeed: 9600, iossiospeed: 74880 });
 * ```
 */
export function darwinSpeedPlan(baud: number): DarwinSpeedPlan {
  return STANDARD.has(baud)
    ? { termiosSpeed: baud, iossiospeed: null }
    : { termiosSpeed: 9600, iossiospeed: baud };
}

/**
 * Raw 8N1, VMIN=1/VTIME=0, CLOCAL|CREAD, no flow control, and the given termios speed.
 *
 * @param t the 72-byte termios (from `tcgetattr`), changed in place
 * @param speed the speed for both directions (see {@link darwinSpeedPlan})
 *
 * @example
 * ```ts
 * import { makeRawDarwinTermios, summarizeDarwinTermios } from "./darwin_termios.ts";
 * import assert from "node:assert/strict";
 * const t = new Uint8Array(72);
 * makeRawDarwinTermios(t, 115200);
 * assert.deepEqual(summarizeDarwinTermios(t), { raw: true, eightN1: true, vmin: 1, vtime: 0, baud: 115200 });
 * ```
 */
export function makeRawDarwinTermios(t: Uint8Array, speed: number): void {
  const v = view(t);
  update(
    v,
    IFLAG,
    IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IXANY | INPCK,
    0,
  );
  update(v, OFLAG, OPOST, 0);
  update(v, LFLAG, ECHO | ECHONL | ICANON | ISIG | IEXTEN, 0);
  update(v, CFLAG, CSIZE | PARENB | CSTOPB | CRTSCTS, CS8 | CREAD | CLOCAL);
  t[CC + VMIN] = 1;
  t[CC + VTIME] = 0;
  v.setBigUint64(ISPEED, BigInt(speed), true);
  v.setBigUint64(OSPEED, BigInt(speed), true);
}

/**
 * Reads back what {@link makeRawDarwinTermios} sets.
 *
 * @param t the 72-byte termios
 * @returns raw, framing, VMIN/VTIME and output speed
 *
 * @example
 * ```ts
 * import { summarizeDarwinTermios } from "./darwin_termios.ts";
 * import assert from "node:assert/strict";
 * assert.equal(summarizeDarwinTermios(new Uint8Array(72)).eightN1, false);
 * ```
 */
export function summarizeDarwinTermios(
  t: Uint8Array,
): { raw: boolean; eightN1: boolean; vmin: number; vtime: number; baud: number } {
  const v = view(t);
  const iflag = get(v, IFLAG), oflag = get(v, OFLAG), cflag = get(v, CFLAG), lflag = get(v, LFLAG);
  return {
    raw: (iflag & (ICRNL | IXON | INLCR | IGNCR | ISTRIP)) === 0 && (oflag & OPOST) === 0 &&
      (lflag & (ECHO | ICANON | ISIG | IEXTEN)) === 0,
    eightN1: (cflag & CSIZE) === CS8 && (cflag & (PARENB | CSTOPB | CRTSCTS)) === 0 &&
      (cflag & (CREAD | CLOCAL)) === (CREAD | CLOCAL),
    vmin: t[CC + VMIN]!,
    vtime: t[CC + VTIME]!,
    baud: Number(v.getBigUint64(OSPEED, true)),
  };
}

/**
 * The argument buffer for `IOSSIOSPEED`: an 8-byte (or, for the fallback request, 4-byte)
 * little-endian speed.
 *
 * @param baud the rate
 * @param width 8 for {@link IOSSIOSPEED}, 4 for {@link IOSSIOSPEED_32}
 * @returns the buffer
 *
 * @example
 * ```ts
 * import { encodeSpeedArg } from "./darwin_termios.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeSpeedArg(74880, 8), new Uint8Array([0x80, 0x24, 0x01, 0, 0, 0, 0, 0]));
 * ```
 */
export function encodeSpeedArg(baud: number, width: 4 | 8): Uint8Array {
  const buf = new Uint8Array(width);
  const v = new DataView(buf.buffer);
  if (width === 8) v.setBigUint64(0, BigInt(baud), true);
  else v.setUint32(0, baud, true);
  return buf;
}
