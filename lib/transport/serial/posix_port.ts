/**
 * A serial port on a POSIX system, entirely on file descriptors called through FFI: the shared
 * logic of the Linux and macOS ports. The OS-specific calls come from a {@link PosixSystem}.
 *
 * How it honours the {@link Transport} contract:
 *
 * - Reads: a pump does synchronous nonblocking `read`s and, when the driver has nothing, waits
 *   in `poll` run as a **nonblocking** FFI call (off the main thread) on the port and a wake
 *   pipe, with a finite timeout. Received bytes go into an `Inbox`. `close()` writes to the
 *   wake pipe, so a pending wait ends at once and no byte is read after close: the next open of
 *   the port gets them.
 * - A hang-up (read returns 0, `POLLHUP`/`POLLERR` without data, `EIO`/`ENXIO`) ends the stream
 *   with `port/disconnected`; later writes fail the same way. Never a hang.
 * - Writes: synchronous `write` of what fits, then `poll(POLLOUT)` for the rest (a pty holds
 *   about 13.8 KiB per direction).
 * - errno is read right after each failing synchronous call.
 * - DTR/RTS: `TIOCMGET` + `TIOCMSET` (both lines in one ioctl). A device without modem lines
 *   (a pty) answers `ENOTTY`: `info.modemLines` becomes `false`, a `no-modem-lines` event is sent
 *   once, and `setSignals` does nothing from then on. The lines are probed at open.
 * - Exclusive access: a UUCP lock file, `flock(LOCK_EX|LOCK_NB)` on the device (holds between
 *   root processes too) and `TIOCEXCL` (keeps out non-root openers that do not lock).
 *
 * @module
 */

import { userError } from "../../errors.ts";
import { checkBaudRate } from "../check_baud_rate.ts";
import { emitTransportEvent, type TransportEventListener } from "../transport_event.ts";
import type { OpenOptions, Transport, TransportInfo } from "../types.ts";
import { acquireLockFile } from "./port_lock.ts";
import { LOCK, type PosixSystem } from "./posix_system.ts";
import { PosixPort } from "./posix_port_io.ts";
import { busyFailure, type FailureContext, ioFailure, openFailure } from "./open_failure.ts";

/** Options for opening a POSIX serial port. */
export interface PosixPortOptions extends OpenOptions {
  /** Receives debug facts (no modem lines, stale lock taken over). */
  onEvent?: TransportEventListener;
  /** `"auto"` (default) writes a UUCP lock file; `"off"` relies on `flock`/`TIOCEXCL` only. */
  lockFile?: "auto" | "off";
  /** Directory for the lock file (`/run/lock` or `/var/lock` by default). */
  lockDir?: string;
  /** Where procfs is, to name the holder of a busy port (`/proc`). */
  procRoot?: string;
  /** Lists existing port paths for the `port/not-found` hint (the sysfs scan by default). */
  listPortPaths?: () => Promise<string[]>;
}

function context(path: string, device: string, options: PosixPortOptions): FailureContext {
  return {
    path,
    device,
    ...(options.procRoot === undefined ? {} : { procRoot: options.procRoot }),
    ...(options.listPortPaths === undefined ? {} : { listPortPaths: options.listPortPaths }),
  };
}

async function resolveDevice(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch {
    return path;
  }
}

function loadSystem(factory: () => PosixSystem, path: string): PosixSystem {
  try {
    return factory();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw userError(
        "port/needs-ffi",
        `Opening ${path} needs permission to call the C library`,
        "Run with --allow-ffi (or -A).",
        { cause: e },
      );
    }
    throw e;
  }
}

/**
 * Opens a serial port on a POSIX system as a {@link Transport}.
 *
 * @param path the device path
 * @param options the system factory plus baud rate, events and locking options
 * @returns the open port
 *
 * @example
 * ```ts
 * import { openPosixPort } from "./posix_port.ts";
 * import { createLinuxSystem } from "./linux.ts";
 * import { PtyPair } from "./pty_pair.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "linux") {
 *   const pty = PtyPair.open();
 *   const port = await openPosixPort(pty.slavePath, { system: createLinuxSystem, lockFile: "off" });
 *   await port.write(new Uint8Array([0xc0]));
 *   assert.deepEqual(await pty.readExactly(1), new Uint8Array([0xc0]));
 *   await port.close();
 *   pty.close();
 * }
 * ```
 */
export async function openPosixPort(
  path: string,
  options: PosixPortOptions & { system: () => PosixSystem },
): Promise<Transport> {
  const baud = checkBaudRate(options.baudRate ?? 115200);
  options.signal?.throwIfAborted();
  const device = await resolveDevice(path);
  const sys = loadSystem(options.system, path);
  const cleanups: (() => void)[] = [() => sys.unload()];
  try {
    const releaseLock = await takeLockFile(sys, path, device, options);
    cleanups.push(releaseLock);
    const fd = await openExclusive(sys, path, device, options);
    cleanups.push(() => sys.close(fd));
    const info: TransportInfo = { url: path, kind: "serial", modemLines: true };
    const port = new PosixPort(sys, fd, { info, baud, releaseLock, onEvent: options.onEvent });
    port.start(options.signal);
    return port;
  } catch (e) {
    for (const undo of cleanups.reverse()) undo();
    throw e;
  }
}

/** Takes the UUCP lock file (unless off); returns its release. Throws `port/busy` if held. */
async function takeLockFile(
  sys: PosixSystem,
  path: string,
  device: string,
  options: PosixPortOptions,
): Promise<() => void> {
  if (options.lockFile === "off") return () => {};
  const lock = acquireLockFile(device, {
    ...(options.lockDir === undefined ? {} : { lockDir: options.lockDir }),
    processExists: (pid) => sys.processExists(pid),
  });
  if (lock.kind === "held") throw await busyFailure(context(path, device, options), [lock.pid]);
  if (lock.kind === "skipped") {
    emitTransportEvent(options.onEvent, {
      type: "lock-skipped",
      url: path,
      lockFile: lock.path,
      reason: lock.reason,
    });
    return () => {};
  }
  if (lock.staleOwner !== undefined) {
    emitTransportEvent(options.onEvent, {
      type: "stale-lock",
      url: path,
      lockFile: lock.path,
      pid: lock.staleOwner,
    });
  }
  return lock.release;
}

async function openExclusive(
  sys: PosixSystem,
  path: string,
  device: string,
  options: PosixPortOptions,
): Promise<number> {
  const fd = sys.open(path, sys.constants.openFlags);
  if (fd < 0) throw await openFailure(sys, sys.errno(), context(path, device, options));
  try {
    await lockAndConfigure(sys, fd, path, device, options);
    return fd;
  } catch (e) {
    sys.close(fd);
    throw e;
  }
}

async function lockAndConfigure(
  sys: PosixSystem,
  fd: number,
  path: string,
  device: string,
  options: PosixPortOptions,
): Promise<void> {
  if (sys.flock(fd, LOCK.EX | LOCK.NB) !== 0) {
    const e = sys.errno();
    if (e === sys.constants.errno.EAGAIN) {
      throw await busyFailure(context(path, device, options), []);
    }
    // Some filesystems refuse flock on device nodes; TIOCEXCL and the lock file remain.
  }
  sys.ioctlNoArg(fd, sys.constants.tiocexcl);
  if (sys.configureLine(fd, options.baudRate ?? 115200) !== 0) {
    const e = sys.errno();
    throw ioFailure(sys, e, `set ${options.baudRate ?? 115200} baud on`, path);
  }
}
