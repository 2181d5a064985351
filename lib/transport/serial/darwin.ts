/**
 * macOS serial ports through libSystem with Deno FFI: the {@link PosixSystem} for macOS and
 * {@link openDarwinSerial}. Everything that decides (locking, waits, errors) is the shared
 * `posix_port.ts`; this file only binds the C functions and knows macOS's numbers.
 *
 * **Variadic `ioctl` on Apple arm64.** Deno FFI cannot declare a variadic function. On x86_64
 * (and Linux arm64) a variadic argument travels like a fixed one, so `ioctl(fd, request, ptr)`
 * declared with three parameters works. Apple's arm64 ABI passes every variadic argument **on the
 * stack**, so a three-parameter declaration puts `ptr` in register x2 where `ioctl` never looks.
 * The workaround used here: declare `ioctl` with nine parameters, `fd`, `request`, six unused
 * integers (filling x2..x7) and the pointer last, which the fixed-argument convention places at
 * the bottom of the stack, exactly where the variadic callee reads its first variadic argument.
 * `open(path, flags)` (no `O_CREAT`, so no variadic mode) and `TIOCEXCL` (no argument) need no
 * trick; `tcgetattr`/`tcsetattr` are not variadic. This has not been run on a Mac here.
 *
 * Not verified here either: whether `poll` works on tty devices on every macOS version (older
 * ones answered `POLLNVAL`); lock files are not written on macOS (`flock` + `TIOCEXCL` only).
 *
 * @module
 */

import type { Transport } from "../types.ts";
import {
  DARWIN_TERMIOS_SIZE,
  darwinSpeedPlan,
  encodeSpeedArg,
  IOSSIOSPEED,
  IOSSIOSPEED_32,
  makeRawDarwinTermios,
} from "./darwin_termios.ts";
import { openPosixPort, type PosixPortOptions } from "./posix_port.ts";
import type { PosixConstants, PosixSystem } from "./posix_system.ts";

/** macOS numbers. */
export const DARWIN_CONSTANTS: PosixConstants = {
  openFlags: 0x2 | 0x20000 | 0x4 | 0x1000000, // O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
  tciflush: 1,
  tiocexcl: 0x2000740dn,
  tiocnxcl: 0x2000740en,
  tiocmget: 0x4004746an,
  tiocmset: 0x8004746dn,
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
    EAGAIN: 35,
    ENOTSUP: 45,
  },
};

const LIBSYSTEM = "/usr/lib/libSystem.B.dylib";

const DARWIN_SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  pipe: { parameters: ["buffer"], result: "i32" },
  poll: { parameters: ["buffer", "u32", "i32"], result: "i32", nonblocking: true },
  flock: { parameters: ["i32", "i32"], result: "i32" },
  ioctl_noarg: { name: "ioctl", parameters: ["i32", "u64"], result: "i32" },
  tcflush: { parameters: ["i32", "i32"], result: "i32" },
  tcdrain: { parameters: ["i32"], result: "i32", nonblocking: true },
  tcgetattr: { parameters: ["i32", "buffer"], result: "i32" },
  tcsetattr: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  kill: { parameters: ["i32", "i32"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  __error: { parameters: [], result: "pointer" },
} as const;

/** `ioctl(fd, request, ptr)` as x86_64 passes it. */
const IOCTL_REGISTER = {
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
} as const;

/** `ioctl` with the pointer pushed to the stack, for Apple arm64 (see the module doc). */
const IOCTL_STACK = {
  ioctl: {
    parameters: ["i32", "u64", "i64", "i64", "i64", "i64", "i64", "i64", "buffer"],
    result: "i32",
  },
} as const;

/**
 * How a variadic `ioctl` argument must be passed on macOS for a CPU architecture.
 *
 * @param arch `Deno.build.arch`
 * @returns `"stack"` for Apple arm64, `"register"` otherwise
 *
 * @example
 * ```ts
 * import { darwinIoctlConvention } from "./darwin.ts";
 * import assert from "node:assert/strict";
 * assert.equal(darwinIoctlConvention("aarch64"), "stack");
 * assert.equal(darwinIoctlConvention("x86_64"), "register");
 * ```
 */
export function darwinIoctlConvention(arch: string): "stack" | "register" {
  return arch === "aarch64" ? "stack" : "register";
}

function bindIoctl(arch: string): {
  call: (fd: number, request: bigint, arg: Uint8Array) => number;
  close: () => void;
} {
  if (darwinIoctlConvention(arch) === "stack") {
    const lib = Deno.dlopen(LIBSYSTEM, IOCTL_STACK);
    return {
      call: (fd, request, arg) => lib.symbols.ioctl(fd, request, 0n, 0n, 0n, 0n, 0n, 0n, arg),
      close: () => lib.close(),
    };
  }
  const lib = Deno.dlopen(LIBSYSTEM, IOCTL_REGISTER);
  return {
    call: (fd, request, arg) => lib.symbols.ioctl(fd, request, arg),
    close: () => lib.close(),
  };
}

/**
 * Creates the macOS {@link PosixSystem} over libSystem.
 *
 * @returns the system; `unload()` closes the library
 *
 * @example
 * ```ts
 * import { createDarwinSystem } from "./darwin.ts";
 * if (Deno.build.os === "darwin") createDarwinSystem().unload();
 * ```
 */
export function createDarwinSystem(): PosixSystem {
  const lib = Deno.dlopen(LIBSYSTEM, DARWIN_SYMBOLS);
  const ioctl = bindIoctl(Deno.build.arch);
  const s = lib.symbols;
  const errnoPtr = s.__error();
  const errno = () => errnoPtr === null ? 0 : new Deno.UnsafePointerView(errnoPtr).getInt32();
  const termios = new Uint8Array(DARWIN_TERMIOS_SIZE);
  let customSpeed = false;
  const configure = (fd: number, baud: number): number => {
    const plan = darwinSpeedPlan(baud);
    if (s.tcgetattr(fd, termios) !== 0) return -1;
    makeRawDarwinTermios(termios, plan.termiosSpeed);
    if (s.tcsetattr(fd, 0, termios) !== 0) return -1;
    customSpeed = plan.iossiospeed !== null;
    if (plan.iossiospeed === null) return 0;
    if (ioctl.call(fd, IOSSIOSPEED, encodeSpeedArg(plan.iossiospeed, 8)) === 0) return 0;
    return ioctl.call(fd, IOSSIOSPEED_32, encodeSpeedArg(plan.iossiospeed, 4));
  };
  return {
    os: "darwin",
    constants: DARWIN_CONSTANTS,
    errno,
    describeErrno(code) {
      const p = s.strerror(code);
      return p === null ? `errno ${code}` : new Deno.UnsafePointerView(p).getCString();
    },
    open: (path, flags) => s.open(new TextEncoder().encode(path + "\0"), flags),
    read: (fd, buf) => Number(s.read(fd, buf, BigInt(buf.length))),
    write: (fd, buf) => Number(s.write(fd, buf, BigInt(buf.length))),
    close: (fd) => s.close(fd),
    pipe() {
      const fds = new Int32Array(2);
      return s.pipe(fds) === 0 ? [fds[0]!, fds[1]!] : null;
    },
    poll: (fds, count, timeoutMs) => s.poll(fds, count, timeoutMs),
    flock: (fd, op) => s.flock(fd, op),
    ioctl: (fd, request, arg) => ioctl.call(fd, request, arg),
    ioctlNoArg: (fd, request) => s.ioctl_noarg(fd, request),
    tcflush: (fd, queue) => s.tcflush(fd, queue),
    tcdrain: (fd) => s.tcdrain(fd),
    processExists: (pid) => s.kill(pid, 0) === 0 || errno() === DARWIN_CONSTANTS.errno.EPERM,
    configureLine: configure,
    setBaud: configure,
    readBaud(fd) {
      if (customSpeed || s.tcgetattr(fd, termios) !== 0) return null;
      return Number(new DataView(termios.buffer).getBigUint64(64, true));
    },
    unload() {
      ioctl.close();
      lib.close();
    },
  };
}

/**
 * Opens a macOS serial port (`/dev/cu.usbserial-0001`) as a {@link Transport}. Use the `cu.`
 * (call-out) node, not `tty.`, which waits for carrier detect. Needs `--allow-ffi`.
 *
 * @param path the device path
 * @param options baud rate, events; lock files are off on macOS
 * @returns the open port
 *
 * @example
 * ```ts
 * import { openDarwinSerial } from "./darwin.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "darwin") {
 *   await assert.rejects(openDarwinSerial("/dev/cu.nodeflash-missing"), { code: "port/not-found" });
 * }
 * ```
 */
export function openDarwinSerial(path: string, options: PosixPortOptions = {}): Promise<Transport> {
  return openPosixPort(path, { lockFile: "off", ...options, system: createDarwinSystem });
}
