import assert from "node:assert/strict";
import { isNodeflashError } from "../../errors.ts";
import { LINUX_CONSTANTS } from "./linux.ts";
import { openPosixPort, type PosixPortOptions } from "./posix_port.ts";
import type { PosixSystem } from "./posix_system.ts";

const E = LINUX_CONSTANTS.errno;
const PORT_FD = 10, WAKE_R = 20, WAKE_W = 21;

/** A scripted C library: records calls, fails where told, never touches a device. */
class FakeSystem implements PosixSystem {
  readonly os = "linux";
  readonly constants = LINUX_CONSTANTS;
  calls: string[] = [];
  modem = 0x001; // TIOCM_LE set, DTR/RTS clear
  openErrno: number | undefined;
  flockErrno: number | undefined;
  configureErrno: number | undefined;
  modemErrno: number | undefined;
  closed: number[] = [];
  unloaded = false;
  #errno = 0;
  #wakers: (() => void)[] = [];

  errno = () => this.#errno;
  describeErrno = (code: number) => `error ${code}`;
  #fail(errno: number): number {
    this.#errno = errno;
    return -1;
  }
  open(path: string): number {
    this.calls.push(`open ${path}`);
    return this.openErrno === undefined ? PORT_FD : this.#fail(this.openErrno);
  }
  read(): number {
    return this.#fail(E.EAGAIN);
  }
  write(fd: number, buf: Uint8Array): number {
    if (fd === WAKE_W) { for (const wake of this.#wakers.splice(0)) wake(); }
    return buf.length;
  }
  close(fd: number): number {
    this.closed.push(fd);
    return 0;
  }
  pipe(): [number, number] {
    return [WAKE_R, WAKE_W];
  }
  poll(fds: Uint8Array): Promise<number> {
    return new Promise((resolve) =>
      this.#wakers.push(() => {
        new DataView(fds.buffer).setInt16(14, 1, true);
        resolve(1);
      })
    );
  }
  flock(_fd: number, op: number): number {
    this.calls.push(`flock ${op}`);
    return this.flockErrno === undefined || op === 8 ? 0 : this.#fail(this.flockErrno);
  }
  ioctl(_fd: number, request: bigint, arg: Uint8Array): number {
    const v = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
    if (request === LINUX_CONSTANTS.tiocmget) {
      if (this.modemErrno !== undefined) return this.#fail(this.modemErrno);
      v.setInt32(0, this.modem, true);
      this.calls.push("TIOCMGET");
      return 0;
    }
    if (request === LINUX_CONSTANTS.tiocmset) {
      this.modem = v.getInt32(0, true);
      this.calls.push(`TIOCMSET ${this.modem.toString(16)}`);
      return 0;
    }
    return this.#fail(E.ENOTTY);
  }
  ioctlNoArg(_fd: number, request: bigint): number {
    this.calls.push(`ioctl ${request.toString(16)}`);
    return 0;
  }
  tcflush = () => 0;
  tcdrain = () => Promise.resolve(0);
  processExists = () => true;
  configureLine(_fd: number, baud: number): number {
    this.calls.push(`configure ${baud}`);
    return this.configureErrno === undefined ? 0 : this.#fail(this.configureErrno);
  }
  setBaud = () => 0;
  readBaud = () => null;
  unload(): void {
    this.unloaded = true;
  }
}

function open(sys: FakeSystem, options: PosixPortOptions = {}) {
  return openPosixPort("/dev/ttyFAKE0", {
    lockFile: "off",
    procRoot: "/nonexistent",
    ...options,
    system: () => sys,
  });
}

Deno.test("posix port: opens exclusive (flock + TIOCEXCL), configures, probes the modem lines", async () => {
  const sys = new FakeSystem();
  const port = await open(sys, { baudRate: 74880 });
  assert.deepEqual(sys.calls, [
    "open /dev/ttyFAKE0",
    "flock 6", // LOCK_EX | LOCK_NB
    "ioctl 540c", // TIOCEXCL
    "configure 74880",
    "TIOCMGET",
  ]);
  assert.equal(port.info.modemLines, true);
  sys.calls = [];
  await port.close();
  assert.deepEqual(sys.calls, ["ioctl 540d", "flock 8"]); // TIOCNXCL, LOCK_UN
  assert.deepEqual(sys.closed.sort(), [PORT_FD, WAKE_R, WAKE_W]);
  assert.ok(sys.unloaded);
});

Deno.test("posix port: setSignals sets DTR and RTS in one TIOCMSET, asserted = bit set", async () => {
  const sys = new FakeSystem();
  const port = await open(sys);
  sys.calls = [];
  await port.setSignals({ dtr: true, rts: false });
  assert.deepEqual(sys.calls, ["TIOCMGET", "TIOCMSET 3"]); // LE kept, DTR (2) set
  await port.setSignals({ dtr: false, rts: true });
  assert.equal(sys.modem, 0x1 | 0x4);
  await port.setSignals({ dtr: true, rts: true });
  assert.equal(sys.modem, 0x1 | 0x2 | 0x4);
  await port.close();
});

Deno.test("posix port: modem lines failing with EIO mean the device is gone, not 'no lines'", async () => {
  const sys = new FakeSystem();
  const port = await open(sys);
  sys.modemErrno = E.EIO;
  await assert.rejects(port.setSignals({ dtr: true, rts: true }), { code: "port/disconnected" });
  await port.close();
});

Deno.test("posix port: open errors become not-found, permission, busy and io-failed", async () => {
  const cases: [number, string][] = [
    [E.ENOENT, "port/not-found"],
    [E.ENXIO, "port/not-found"],
    [E.EACCES, "port/permission"],
    [E.EBUSY, "port/busy"],
    [E.EIO, "port/io-failed"],
  ];
  for (const [errno, code] of cases) {
    const sys = new FakeSystem();
    sys.openErrno = errno;
    await assert.rejects(
      open(sys, { listPortPaths: () => Promise.resolve(["/dev/ttyUSB0"]) }),
      (e) => isNodeflashError(e) && e.code === code && e.message.includes("/dev/ttyFAKE0"),
      `errno ${errno}`,
    );
    assert.ok(sys.unloaded, `the library is released after errno ${errno}`);
  }
});

Deno.test("posix port: a held flock is port/busy, and the fd is closed again", async () => {
  const sys = new FakeSystem();
  sys.flockErrno = E.EAGAIN;
  await assert.rejects(open(sys), { code: "port/busy" });
  assert.deepEqual(sys.closed, [PORT_FD]);
  assert.ok(sys.unloaded);
});

Deno.test("posix port: a baud rate the driver refuses fails the open with the rate named", async () => {
  const sys = new FakeSystem();
  sys.configureErrno = E.EINVAL;
  await assert.rejects(
    open(sys, { baudRate: 12345 }),
    (e) => isNodeflashError(e) && e.code === "port/io-failed" && e.message.includes("12345 baud"),
  );
  assert.deepEqual(sys.closed, [PORT_FD]);
  await assert.rejects(open(new FakeSystem(), { baudRate: 0 }), { code: "port/bad-baud" });
});

Deno.test("posix port: without FFI permission the open says --allow-ffi", async () => {
  await assert.rejects(
    openPosixPort("/dev/ttyFAKE0", {
      lockFile: "off",
      system: () => {
        throw new Deno.errors.NotCapable("Requires ffi access");
      },
    }),
    (e) =>
      isNodeflashError(e) && e.code === "port/needs-ffi" && e.kind === "user" &&
      (e.hint ?? "").includes("--allow-ffi"),
  );
});
