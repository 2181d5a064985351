/**
 * The few libc calls the simulator's pty endpoint needs, bound through Deno FFI when first asked
 * for (so importing the simulator needs no `--allow-ffi`). Linux, glibc (openpty lives in
 * libc.so.6 since glibc 2.34). Layouts and constants ({@link TERMIOS}) are glibc's on x86_64 and
 * arm64: `struct termios` is 60 bytes, `c_cflag` at 8, `c_cc[32]` at 17; the kernel's
 * `struct termios2` is described in lib/transport/serial/linux_termios.ts.
 *
 * @module
 */

/** The bound functions. */
export type PtyLibc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"] & {
  /** Releases the library. */
  release(): void;
};

const SYMBOLS = {
  openpty: { parameters: ["buffer", "buffer", "buffer", "pointer", "pointer"], result: "i32" },
  tcgetattr: { parameters: ["i32", "buffer"], result: "i32" },
  tcsetattr: { parameters: ["i32", "i32", "buffer"], result: "i32" },
  cfmakeraw: { parameters: ["buffer"], result: "void" },
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  fcntl: { parameters: ["i32", "i32", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  poll: { parameters: ["buffer", "u64", "i32"], result: "i32", nonblocking: true },
} as const;

/** termios (glibc) offsets and flags. */
export const TERMIOS = {
  SIZE: 60,
  CFLAG: 8,
  CC: 17,
  VTIME: 5,
  VMIN: 6,
  CLOCAL: 0x800,
  CREAD: 0x80,
  TCSANOW: 0,
  TCGETS2: 0x802c542a,
  TERMIOS2_SIZE: 44,
  TERMIOS2_OSPEED: 40,
  F_GETFL: 3,
  F_SETFL: 4,
  O_NONBLOCK: 0x800,
  POLLIN: 1,
  POLLOUT: 4,
} as const;

/**
 * Opens libc.
 *
 * @returns the bound functions
 * @throws when FFI is not permitted or libc is not glibc
 *
 * @example
 * ```ts ignore
 * import { openPtyLibc } from "./pty_libc.ts";
 * const libc = openPtyLibc();
 * libc.release();
 * ```
 */
export function openPtyLibc(): PtyLibc {
  const lib = Deno.dlopen("libc.so.6", SYMBOLS);
  return { ...lib.symbols, release: () => lib.close() };
}
