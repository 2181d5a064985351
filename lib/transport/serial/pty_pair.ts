/**
 * A pseudo-terminal pair for tests and benchmarks on Linux: the slave is a real tty the serial
 * adapter opens by path; the test plays the device on the master. The slave is made raw at once
 * (a fresh pty echoes and eats control characters), and the pair keeps its own slave fd open so
 * the pty survives the adapter closing and reopening it. Needs `--allow-ffi`.
 *
 * @module
 */

import { type LinuxLibc, openLinuxLibc } from "./linux.ts";
import { TCGETS2, TCSETS2, TERMIOS2_SIZE } from "./linux_termios.ts";
import { POLL } from "./posix_system.ts";

const F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, FD_CLOEXEC = 1, O_NONBLOCK = 0x800, EAGAIN = 11;

/**
 * Both ends of a pty, the master driven from JavaScript.
 *
 * @example
 * ```ts
 * import { PtyPair } from "./pty_pair.ts";
 * import assert from "node:assert/strict";
 * const pty = PtyPair.open();
 * assert.match(pty.slavePath, /^\/dev\/pts\/\d+$/);
 * pty.close();
 * ```
 */
export class PtyPair {
  /** Path of the slave, e.g. `/dev/pts/3`. */
  readonly slavePath: string;
  #libc: LinuxLibc;
  #master: number;
  #slave: number;
  #closed = false;

  private constructor(libc: LinuxLibc, master: number, slave: number, slavePath: string) {
    this.#libc = libc;
    this.#master = master;
    this.#slave = slave;
    this.slavePath = slavePath;
  }

  /**
   * Opens a pty pair with the slave in raw mode and the master nonblocking.
   *
   * @returns the pair
   */
  static open(): PtyPair {
    const libc = openLinuxLibc();
    const s = libc.symbols;
    const fds = new Int32Array(2);
    if (s.openpty(fds.subarray(0, 1), fds.subarray(1, 2), null, null, null) !== 0) {
      libc.close();
      throw new Error("openpty failed");
    }
    const [master, slave] = [fds[0]!, fds[1]!];
    const name = new Uint8Array(256);
    const termios = new Uint8Array(64);
    const ok = s.ptsname_r(master, name, BigInt(name.length)) === 0 &&
      s.tcgetattr(slave, termios) === 0 &&
      (s.cfmakeraw(termios), s.tcsetattr(slave, 0, termios) === 0) &&
      s.fcntl(master, F_SETFL, s.fcntl(master, F_GETFL, 0) | O_NONBLOCK) === 0 &&
      // Child processes (a second nodeflash in a test) must not inherit either end.
      s.fcntl(master, F_SETFD, FD_CLOEXEC) === 0 && s.fcntl(slave, F_SETFD, FD_CLOEXEC) === 0;
    if (!ok) {
      s.close(master);
      s.close(slave);
      libc.close();
      throw new Error("setting up the pty failed");
    }
    const path = new TextDecoder().decode(name.subarray(0, name.indexOf(0)));
    return new PtyPair(libc, master, slave, path);
  }

  async #wait(events: number, timeoutMs: number): Promise<number> {
    const fds = new Uint8Array(8);
    const v = new DataView(fds.buffer);
    v.setInt32(0, this.#master, true);
    v.setInt16(4, events, true);
    const r = await this.#libc.symbols.poll(fds, 1n, timeoutMs);
    return r > 0 ? v.getInt16(6, true) : 0;
  }

  /**
   * Writes bytes into the master (they arrive at the slave), waiting when the pty is full.
   *
   * @param bytes what the "device" sends
   */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const part = bytes.subarray(offset);
      const n = Number(this.#libc.symbols.write(this.#master, part, BigInt(part.length)));
      if (n > 0) offset += n;
      else if (n < 0 && this.#errno() !== EAGAIN) throw new Error(`pty write failed`);
      else await this.#wait(POLL.OUT, 1000);
    }
  }

  /**
   * Reads what the slave side wrote, waiting up to `timeoutMs` for the first byte.
   *
   * @param timeoutMs how long to wait
   * @returns the bytes (empty on timeout)
   */
  async read(timeoutMs: number): Promise<Uint8Array> {
    const buf = new Uint8Array(65536);
    const deadline = performance.now() + timeoutMs;
    while (true) {
      const n = Number(this.#libc.symbols.read(this.#master, buf, BigInt(buf.length)));
      if (n > 0) return buf.slice(0, n);
      if (n < 0 && this.#errno() !== EAGAIN) throw new Error("pty read failed");
      const left = deadline - performance.now();
      if (left <= 0) return new Uint8Array(0);
      await this.#wait(POLL.IN, Math.min(Math.ceil(left), 1000));
    }
  }

  /**
   * Reads exactly `count` bytes or fails after `timeoutMs` without progress.
   *
   * @param count how many bytes
   * @param timeoutMs longest wait for the next chunk
   * @returns the bytes
   */
  async readExactly(count: number, timeoutMs = 5000): Promise<Uint8Array> {
    const out = new Uint8Array(count);
    let got = 0;
    while (got < count) {
      const chunk = await this.read(timeoutMs);
      if (chunk.length === 0) throw new Error(`pty: ${got} of ${count} bytes, then silence`);
      const take = Math.min(chunk.length, count - got);
      out.set(chunk.subarray(0, take), got);
      got += take;
    }
    return out;
  }

  /** The baud rate the slave's owner set, read with `TCGETS2` on the master. */
  baudRate(): number {
    const t = new Uint8Array(TERMIOS2_SIZE);
    if (this.#libc.symbols.ioctl(this.#master, BigInt(TCGETS2), t) !== 0) {
      throw new Error("TCGETS2 on the pty master failed");
    }
    return new DataView(t.buffer).getUint32(40, true);
  }

  /** The slave's termios2, read with `TCGETS2` on the pair's own slave fd. */
  slaveTermios(): Uint8Array {
    const t = new Uint8Array(TERMIOS2_SIZE);
    if (this.#libc.symbols.ioctl(this.#slave, BigInt(TCGETS2), t) !== 0) {
      throw new Error("TCGETS2 on the pty slave failed");
    }
    return t;
  }

  /**
   * Writes the slave's termios2 with `TCSETS2` (tests use it to undo raw mode first).
   *
   * @param termios a 44-byte termios2
   */
  setSlaveTermios(termios: Uint8Array): void {
    if (this.#libc.symbols.ioctl(this.#slave, BigInt(TCSETS2), termios) !== 0) {
      throw new Error("TCSETS2 on the pty slave failed");
    }
  }

  /** Closes the master only: the device "vanishes" for whoever has the slave open. */
  closeMaster(): void {
    if (this.#master >= 0) this.#libc.symbols.close(this.#master);
    this.#master = -1;
  }

  /** Closes both ends and the library. Harmless twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeMaster();
    this.#libc.symbols.close(this.#slave);
    this.#libc.close();
  }

  #errno(): number {
    const p = this.#libc.symbols.__errno_location();
    return p === null ? 0 : new Deno.UnsafePointerView(p).getInt32();
  }
}
