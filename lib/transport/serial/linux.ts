/**
 * Linux serial ports through glibc, called with Deno FFI: the {@link PosixSystem} for Linux and
 * {@link openLinuxSerial}. The library is opened when a port opens (never at import time) and
 * closed with it, so importing this module needs no permission.
 *
 * Any baud rate goes through `TCGETS2`/`TCSETS2` with `BOTHER` (see `linux_termios.ts`); glibc's
 * `tcsetattr` cannot express 74880.
 *
 * @module
 */

import type { Transport } from "../types.ts";
import {
  makeRawTermios2,
  setTermios2Baud,
  TCGETS2,
  TCSETS2,
  TERMIOS2_SIZE,
} from "./linux_termios.ts";
import { findPort } from "./list.ts";
import { openPosixPort, type PosixPortOptions } from "./posix_port.ts";
import type { PosixConstants, PosixSystem } from "./posix_system.ts";

/** Linux (asm-generic) numbers. */
export const LINUX_CONSTANTS: PosixConstants = {
  openFlags: 0x2 | 0x100 | 0x800 | 0x80000, // O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
  tciflush: 0,
  tiocexcl: 0x540cn,
  tiocnxcl: 0x540dn,
  tiocmget: 0x5415n,
  tiocmset: 0x5418n,
  tiocmDtr: 0x002,
  tiocmRts: 0x004,
  errno: {
    EPERM: 1,
    ENOENT: 2,
    EINTR: 4,
    EIO: 5,
    ENXIO: 6,
    EACCES: 13,
    EBUSY: 16,
    ENODEV: 19,
    EINVAL: 22,
    ENOTTY: 25,
    EAGAIN: 11,
    ENOTSUP: 95,
  },
};

const O_CLOEXEC = 0x80000;

/** The glibc symbols nodeflash binds on Linux (also used by the pty helper). */
export const LINUX_LIBC_SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  pipe2: { parameters: ["buffer", "i32"], result: "i32" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
  flock: { parameters: ["i32", "i32"], result: "i32" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  ioctl_noarg: { name: "ioctl", parameters: ["i32", "u64"], result: "i32" },
  tcflush: { parameters: ["i32", "i32"], result: "i32" },
  tcdrain: { parameters: ["i32"], result: "i32", nonblocking: true },
  kill: { parameters: ["i32", "i32"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  openpty: { parameters: ["buffer", "buffer", "pointer", "pointer", "pointer"], result: "i32" },
  ptsname_r: { parameters: ["i32", "buffer", "usize"], result: "i32" },
  tcgetattr: { parameters: ["i32", "buffer"], result: "i32" },
  tcsetattr: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  cfmakeraw: { parameters: ["buffer"], result: "void" },
} as const;

/** glibc, opened. */
export type LinuxLibc = Deno.DynamicLibrary<typeof LINUX_LIBC_SYMBOLS>;

/**
 * Opens glibc (`libc.so.6`). Needs `--allow-ffi`.
 *
 * @returns the library; call `close()` on it when done
 *
 * @example
 * ```ts
 * import { openLinuxLibc } from "./linux.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const libc = openLinuxLibc();
 *   assert.equal(libc.symbols.kill(Deno.pid, 0), 0);
 *   libc.close();
 * }
 * ```
 */
export function openLinuxLibc(): LinuxLibc {
  return Deno.dlopen("libc.so.6", LINUX_LIBC_SYMBOLS);
}

/**
 * Encodes a NUL-terminated C string.
 *
 * @param text the string
 * @returns UTF-8 bytes plus a 0
 *
 * @example
 * ```ts
 * import { cString } from "./linux.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(cString("/dev"), new Uint8Array([0x2f, 0x64, 0x65, 0x76, 0]));
 * ```
 */
export function cString(text: string): Uint8Array {
  return new TextEncoder().encode(text + "\0");
}

/**
 * Creates the Linux {@link PosixSystem} over a fresh glibc handle.
 *
 * @returns the system; `unload()` closes the library
 *
 * @example
 * ```ts
 * import { createLinuxSystem } from "./linux.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const sys = createLinuxSystem();
 *   assert.equal(sys.open("/nonexistent/tty", sys.constants.openFlags), -1);
 *   assert.equal(sys.errno(), sys.constants.errno.ENOENT); // read right after the call
 *   sys.unload();
 * }
 * ```
 */
export function createLinuxSystem(): PosixSystem {
  const libc = openLinuxLibc();
  const s = libc.symbols;
  const errnoPtr = s.__errno_location();
  const errno = () => errnoPtr === null ? 0 : new Deno.UnsafePointerView(errnoPtr).getInt32();
  const termios = new Uint8Array(TERMIOS2_SIZE);
  const setBaud = (fd: number, baud: number): number => {
    if (s.ioctl(fd, BigInt(TCGETS2), termios) !== 0) return -1;
    setTermios2Baud(termios, baud);
    return s.ioctl(fd, BigInt(TCSETS2), termios);
  };
  return {
    os: "linux",
    constants: LINUX_CONSTANTS,
    errno,
    describeErrno(code) {
      const p = s.strerror(code);
      return p === null ? `errno ${code}` : new Deno.UnsafePointerView(p).getCString();
    },
    open: (path, flags) => s.open(cString(path), flags),
    read: (fd, buf) => Number(s.read(fd, buf, BigInt(buf.length))),
    write: (fd, buf) => Number(s.write(fd, buf, BigInt(buf.length))),
    close: (fd) => s.close(fd),
    pipe() {
      const fds = new Int32Array(2);
      if (s.pipe2(fds, O_CLOEXEC) !== 0) return null;
      return [fds[0]!, fds[1]!];
    },
    poll: (fds, count, timeoutMs) => s.poll(fds, BigInt(count), timeoutMs),
    flock: (fd, op) => s.flock(fd, op),
    ioctl: (fd, request, arg) => s.ioctl(fd, request, arg),
    ioctlNoArg: (fd, request) => s.ioctl_noarg(fd, request),
    tcflush: (fd, queue) => s.tcflush(fd, queue),
    tcdrain: (fd) => s.tcdrain(fd),
    processExists(pid) {
      if (s.kill(pid, 0) === 0) return true;
      return errno() === LINUX_CONSTANTS.errno.EPERM;
    },
    configureLine(fd, baud) {
      if (s.ioctl(fd, BigInt(TCGETS2), termios) !== 0) return -1;
      makeRawTermios2(termios);
      setTermios2Baud(termios, baud);
      return s.ioctl(fd, BigInt(TCSETS2), termios);
    },
    setBaud,
    readBaud(fd) {
      if (s.ioctl(fd, BigInt(TCGETS2), termios) !== 0) return null;
      return new DataView(termios.buffer).getUint32(40, true);
    },
    unload: () => libc.close(),
  };
}

/**
 * Opens a Linux serial port (`/dev/ttyUSB0`, `/dev/serial/by-id/...`, a pty) as a
 * {@link Transport}: exclusive (UUCP lock file + `flock` + `TIOCEXCL`), raw 8N1 at the requested
 * baud; `info.usb` tells the USB ids when sysfs knows them. Needs `--allow-ffi` (and read/write access to the lock directory for the lock file).
 *
 * @param path the device path
 * @param options baud rate, events, lock directory
 * @returns the open port
 *
 * @example
 * ```ts
 * import { openLinuxSerial } from "./linux.ts";
 * import { PtyPair } from "./pty_pair.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const pty = PtyPair.open(); // stands in for /dev/ttyUSB0
 *   const port = await openLinuxSerial(pty.slavePath, { baudRate: 74880, lockFile: "off" });
 *   assert.equal(pty.baudRate(), 74880);
 *   await port.close();
 *   pty.close();
 * }
 * ```
 */
export async function openLinuxSerial(
  path: string,
  options: PosixPortOptions = {},
): Promise<Transport> {
  const port = await openPosixPort(path, { ...options, system: createLinuxSystem });
  const known = await findPort(path).catch(() => undefined);
  if (known?.usb) port.info.usb = known.usb;
  return port;
}
