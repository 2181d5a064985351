/**
 * The thin slice of the C library a POSIX serial port needs, as an interface. `linux.ts` and
 * `darwin.ts` implement it over `Deno.dlopen`; `posix_port.ts` holds every decision (locking,
 * waits, errors) and is shared, so the Darwin port runs the same tested logic as the Linux one and
 * only the ABI differs.
 *
 * Conventions: every synchronous call returns what the C function returns (`-1` on failure) and
 * the caller reads {@link PosixSystem.errno} right after it; nonblocking calls (`poll`,
 * `tcdrain`) return promises and only their result value is meaningful (their errno lives on a
 * worker thread).
 *
 * @module
 */

/** errno values the port reacts to, per OS. */
export interface ErrnoTable {
  /** Operation not permitted. */
  EPERM: number;
  /** No such file. */
  ENOENT: number;
  /** Interrupted call. */
  EINTR: number;
  /** I/O error (a vanished device). */
  EIO: number;
  /** No such device or address. */
  ENXIO: number;
  /** Permission denied. */
  EACCES: number;
  /** Device busy. */
  EBUSY: number;
  /** No such device. */
  ENODEV: number;
  /** Invalid argument. */
  EINVAL: number;
  /** Not a terminal / no such ioctl (a pty's modem lines). */
  ENOTTY: number;
  /** Try again (nothing to read, no room to write). */
  EAGAIN: number;
  /** Not supported. */
  ENOTSUP: number;
}

/** Flag and request numbers, per OS. */
export interface PosixConstants {
  /** `O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC` for this OS. */
  openFlags: number;
  /** `TCIFLUSH` (0 on Linux, 1 on macOS). */
  tciflush: number;
  /** `TIOCEXCL`: exclusive mode (keeps non-root openers out). */
  tiocexcl: bigint;
  /** `TIOCNXCL`: ends exclusive mode (it belongs to the tty, not the fd, so undo it on close). */
  tiocnxcl: bigint;
  /** `TIOCMGET`: read the modem lines. */
  tiocmget: bigint;
  /** `TIOCMSET`: set the modem lines. */
  tiocmset: bigint;
  /** `TIOCM_DTR` bit. */
  tiocmDtr: number;
  /** `TIOCM_RTS` bit. */
  tiocmRts: number;
  /** errno values. */
  errno: ErrnoTable;
}

/** `poll` event bits (the same on Linux and macOS). */
export const POLL = { IN: 1, PRI: 2, OUT: 4, ERR: 8, HUP: 16, NVAL: 32 } as const;
/** `flock` operations (the same on Linux and macOS). */
export const LOCK = { EX: 2, NB: 4, UN: 8 } as const;

/** The calls a POSIX serial port makes. */
export interface PosixSystem {
  /** `"linux"` or `"darwin"`. */
  readonly os: string;
  /** Numbers for this OS. */
  readonly constants: PosixConstants;
  /** errno of the last failing synchronous call on this thread. */
  errno(): number;
  /** A short description of an errno value (`strerror`). */
  describeErrno(code: number): string;
  /** `open(path, flags)`. */
  open(path: string, flags: number): number;
  /** `read(fd, buf, buf.length)`. */
  read(fd: number, buf: Uint8Array): number;
  /** `write(fd, buf, buf.length)`. */
  write(fd: number, buf: Uint8Array): number;
  /** `close(fd)`. */
  close(fd: number): number;
  /** A pipe `[readFd, writeFd]`, or `null` on failure. */
  pipe(): [number, number] | null;
  /** `poll(fds, count, timeoutMs)` off the main thread; result only. */
  poll(fds: Uint8Array, count: number, timeoutMs: number): Promise<number>;
  /** `flock(fd, op)`. */
  flock(fd: number, op: number): number;
  /** `ioctl(fd, request, arg)` with a pointer argument. */
  ioctl(fd: number, request: bigint, arg: Uint8Array): number;
  /** `ioctl(fd, request)` for requests without an argument. */
  ioctlNoArg(fd: number, request: bigint): number;
  /** `tcflush(fd, queue)`. */
  tcflush(fd: number, queue: number): number;
  /** `tcdrain(fd)` off the main thread; result only. */
  tcdrain(fd: number): Promise<number>;
  /** `kill(pid, 0) == 0 || errno == EPERM`: whether a process exists. */
  processExists(pid: number): boolean;
  /** Raw 8N1, VMIN=1/VTIME=0, CLOCAL|CREAD, then the baud rate; `-1` + errno on failure. */
  configureLine(fd: number, baud: number): number;
  /** Changes only the baud rate; `-1` + errno on failure. */
  setBaud(fd: number, baud: number): number;
  /** The baud rate the driver reports, or `null` when it cannot say. */
  readBaud(fd: number): number | null;
  /** Releases the library handle. */
  unload(): void;
}
