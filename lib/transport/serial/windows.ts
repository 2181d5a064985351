/**
 * Windows serial ports through kernel32 with Deno FFI. Thin by design: the structures are built
 * by the pure functions of `windows_structs.ts` (tested on every OS); this file only calls
 * kernel32. It has not been run on Windows here.
 *
 * Design: the port is opened with `CreateFileW(\\.\COMn, no sharing, FILE_FLAG_OVERLAPPED)`
 * (no sharing = exclusive). Reads and writes are overlapped; the waits are
 * `WaitForMultipleObjects` on [the operation's event, a wake event] run as **nonblocking** FFI
 * calls with a finite timeout, so the event loop keeps running and `close()` (which sets the
 * wake event and cancels the pending read with `CancelIoEx`) ends a pending read at once.
 * `GetLastError` is only read right after synchronous calls. `COMMTIMEOUTS` = MAXDWORD,
 * MAXDWORD, 500: a read completes as soon as one byte is there. DTR/RTS use
 * `EscapeCommFunction`; the DCB is always written with the current DTR/RTS states so a baud
 * change does not toggle them.
 *
 * @module
 */

import { deviceError, type NodeflashError } from "../../errors.ts";
import { checkBaudRate } from "../check_baud_rate.ts";
import { Inbox } from "../inbox.ts";
import type { OpenOptions, Signals, Transport, TransportInfo } from "../types.ts";
import { portBusy, portClosed, portDisconnected, portIoFailed } from "../port_errors.ts";
import {
  DCB_SIZE,
  encodeCommTimeouts,
  encodeOverlapped,
  ESCAPE,
  patchDcb,
  PURGE,
  utf16z,
  windowsDevicePath,
} from "./windows_structs.ts";

const KERNEL32 = {
  CreateFileW: {
    parameters: ["buffer", "u32", "u32", "pointer", "u32", "u32", "pointer"],
    result: "pointer",
  },
  CloseHandle: { parameters: ["pointer"], result: "i32" },
  GetCommState: { parameters: ["pointer", "buffer"], result: "i32" },
  SetCommState: { parameters: ["pointer", "buffer"], result: "i32" },
  SetCommTimeouts: { parameters: ["pointer", "buffer"], result: "i32" },
  EscapeCommFunction: { parameters: ["pointer", "u32"], result: "i32" },
  PurgeComm: { parameters: ["pointer", "u32"], result: "i32" },
  ReadFile: { parameters: ["pointer", "buffer", "u32", "pointer", "buffer"], result: "i32" },
  WriteFile: { parameters: ["pointer", "buffer", "u32", "pointer", "buffer"], result: "i32" },
  GetOverlappedResult: { parameters: ["pointer", "buffer", "buffer", "i32"], result: "i32" },
  CancelIoEx: { parameters: ["pointer", "buffer"], result: "i32" },
  CreateEventW: { parameters: ["pointer", "i32", "i32", "pointer"], result: "pointer" },
  SetEvent: { parameters: ["pointer"], result: "i32" },
  WaitForMultipleObjects: {
    parameters: ["u32", "buffer", "i32", "u32"],
    result: "u32",
    nonblocking: true,
  },
  FlushFileBuffers: { parameters: ["pointer"], result: "i32", nonblocking: true },
  GetLastError: { parameters: [], result: "u32" },
} as const;

type Kernel32 = Deno.DynamicLibrary<typeof KERNEL32>;

const GENERIC_READ_WRITE = 0x80000000 | 0x40000000;
const OPEN_EXISTING = 3, FILE_FLAG_OVERLAPPED = 0x40000000;
const ERROR_FILE_NOT_FOUND = 2, ERROR_PATH_NOT_FOUND = 3, ERROR_ACCESS_DENIED = 5;
const ERROR_IO_PENDING = 997, ERROR_OPERATION_ABORTED = 995;
const WAIT_OBJECT_0 = 0, WAIT_TIMEOUT = 0x102, WAIT_MS = 500;

/** One overlapped operation slot: its event, `OVERLAPPED` and byte count. */
interface Slot {
  event: Deno.PointerValue;
  overlapped: Uint8Array;
  count: Uint32Array;
  handles: Uint8Array;
}

/**
 * An open Windows COM port. Made by {@link openWindowsSerial}.
 *
 * @example
 * ```ts
 * import { openWindowsSerial, WindowsPort } from "./windows.ts";
 * import assert from "node:assert/strict";
 * if (Deno.build.os === "windows") {
 *   const port = await openWindowsSerial("COM3");
 *   assert.ok(port instanceof WindowsPort);
 *   await port.close();
 * }
 * ```
 */
export class WindowsPort implements Transport {
  readonly info: TransportInfo;
  #k: Kernel32;
  #h: Deno.PointerValue;
  #wake: Deno.PointerValue;
  #read: Slot;
  #write: Slot;
  #inbox = new Inbox();
  #baud: number;
  #signals: Signals = { dtr: true, rts: true };
  #closing = false;
  #closed: Promise<void> | undefined;
  #gone: NodeflashError | undefined;
  #pump: Promise<void> = Promise.resolve();
  #writes: Promise<void> = Promise.resolve();

  /**
   * Wraps an open connection or handle; use the module's `open...` function instead.
   *
   * @param k kernel32
   * @param handle the open, configured port
   * @param info what it is
   * @param baud its baud rate
   */
  constructor(k: Kernel32, handle: Deno.PointerValue, info: TransportInfo, baud: number) {
    this.#k = k;
    this.#h = handle;
    this.info = info;
    this.#baud = baud;
    this.#wake = k.symbols.CreateEventW(null, 1, 0, null);
    this.#read = this.#slot();
    this.#write = this.#slot();
    this.#pump = this.#readLoop().catch((e) => this.#inbox.end(e));
  }

  #slot(): Slot {
    const event = this.#k.symbols.CreateEventW(null, 1, 0, null);
    const handles = new Uint8Array(16);
    const v = new DataView(handles.buffer);
    v.setBigUint64(0, BigInt(Deno.UnsafePointer.value(event)), true);
    v.setBigUint64(8, BigInt(Deno.UnsafePointer.value(this.#wake)), true);
    const overlapped = encodeOverlapped(BigInt(Deno.UnsafePointer.value(event)));
    return { event, overlapped, count: new Uint32Array(1), handles };
  }

  /** Bytes from the device. */
  get readable(): ReadableStream<Uint8Array> {
    return this.#inbox.readable;
  }

  /** The baud rate last set. */
  get baudRate(): number {
    return this.#baud;
  }

  /** Starts an overlapped call and waits for it: bytes moved, or -1 when closing. */
  async #overlapped(slot: Slot, start: () => number): Promise<number> {
    const k = this.#k.symbols;
    slot.overlapped.fill(0, 0, 24);
    if (start() === 0) {
      const err = k.GetLastError();
      if (err !== ERROR_IO_PENDING) throw this.#vanish(`error ${err}`);
    }
    while (true) {
      const r = await k.WaitForMultipleObjects(2, slot.handles, 0, WAIT_MS);
      if (this.#closing) {
        k.CancelIoEx(this.#h, slot.overlapped);
        k.GetOverlappedResult(this.#h, slot.overlapped, slot.count, 1);
        return -1;
      }
      if (r === WAIT_OBJECT_0) break;
      if (r !== WAIT_TIMEOUT) throw this.#vanish(`wait failed (${r})`);
    }
    if (k.GetOverlappedResult(this.#h, slot.overlapped, slot.count, 0) === 0) {
      const err = k.GetLastError();
      if (err === ERROR_OPERATION_ABORTED) return 0;
      throw this.#vanish(`error ${err}`);
    }
    return slot.count[0]!;
  }

  async #readLoop(): Promise<void> {
    const buf = new Uint8Array(65536);
    const k = this.#k.symbols;
    while (!this.#closing) {
      const n = await this.#overlapped(
        this.#read,
        () => k.ReadFile(this.#h, buf, buf.length, null, this.#read.overlapped),
      );
      if (n < 0) return;
      if (n > 0) this.#inbox.push(buf.subarray(0, n));
    }
  }

  #vanish(reason: string): NodeflashError {
    if (this.#gone === undefined) {
      this.#gone = portDisconnected(this.info.url, reason);
      if (!this.#closing) this.#inbox.end(this.#gone);
    }
    return this.#gone;
  }

  #check(): void {
    if (this.#gone) throw this.#gone;
    if (this.#closing) throw portClosed(this.info.url);
  }

  /** Sends bytes. @param bytes what to send */
  write(bytes: Uint8Array): Promise<void> {
    const copy = bytes.slice();
    const run = this.#writes.then(async () => {
      let offset = 0;
      while (offset < copy.length) {
        this.#check();
        const part = copy.subarray(offset);
        const n = await this.#overlapped(
          this.#write,
          () => this.#k.symbols.WriteFile(this.#h, part, part.length, null, this.#write.overlapped),
        );
        if (n < 0) throw portClosed(this.info.url);
        offset += n;
      }
    });
    this.#writes = run.catch(() => {});
    return run;
  }

  /** Drives DTR and RTS (`true` = asserted). @param signals the wanted states */
  setSignals(signals: Signals): Promise<void> {
    this.#check();
    if (!this.info.modemLines) return Promise.resolve();
    const k = this.#k.symbols;
    const ok = k.EscapeCommFunction(this.#h, signals.dtr ? ESCAPE.SETDTR : ESCAPE.CLRDTR) !== 0 &&
      k.EscapeCommFunction(this.#h, signals.rts ? ESCAPE.SETRTS : ESCAPE.CLRRTS) !== 0;
    if (!ok) this.info.modemLines = false;
    this.#signals = { dtr: signals.dtr, rts: signals.rts };
    return Promise.resolve();
  }

  /** Changes the baud rate after pending output left. @param baud the rate */
  async setBaudRate(baud: number): Promise<void> {
    checkBaudRate(baud);
    await this.drain();
    this.#check();
    configure(this.#k, this.#h, { baud, ...this.#signals }, this.info.url);
    this.#baud = baud;
  }

  /** Waits for written bytes to leave (`FlushFileBuffers`). */
  async drain(): Promise<void> {
    await this.#writes;
    this.#check();
    await this.#k.symbols.FlushFileBuffers(this.#h);
  }

  /** Drops unread input. */
  discardInput(): Promise<void> {
    this.#check();
    this.#k.symbols.PurgeComm(this.#h, PURGE.RXCLEAR);
    this.#inbox.discard();
    return Promise.resolve();
  }

  /** Ends pending reads and closes the port. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      this.#inbox.end();
      const k = this.#k.symbols;
      k.SetEvent(this.#wake);
      await this.#pump;
      await this.#writes;
      k.CloseHandle(this.#h);
      for (const e of [this.#read.event, this.#write.event, this.#wake]) k.CloseHandle(e);
      this.#k.close();
    })();
    return this.#closed;
  }
}

function configure(
  k: Kernel32,
  h: Deno.PointerValue,
  settings: { baud: number; dtr: boolean; rts: boolean },
  url: string,
): void {
  const dcb = new Uint8Array(DCB_SIZE);
  const s = k.symbols;
  if (s.GetCommState(h, dcb) === 0) {
    throw portIoFailed("read the settings of", url, `error ${s.GetLastError()}`);
  }
  patchDcb(dcb, settings);
  if (s.SetCommState(h, dcb) === 0) {
    throw portIoFailed(`set ${settings.baud} baud on`, url, `error ${s.GetLastError()}`);
  }
}

/**
 * Opens a Windows COM port as a {@link Transport}. Needs `--allow-ffi`.
 *
 * @param name `COM3` or `\\.\COM12`
 * @param options baud rate (115200 by default)
 * @returns the open port
 *
 * @example
 * ```ts
 * import { openWindowsSerial } from "./windows.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(openWindowsSerial("/dev/ttyUSB0"), { code: "port/not-found" }); // not a COM name
 * if (Deno.build.os === "windows") {
 *   await assert.rejects(openWindowsSerial("COM250"), { code: "port/not-found" });
 * }
 * ```
 */
export function openWindowsSerial(name: string, options: OpenOptions = {}): Promise<Transport> {
  const baud = checkBaudRate(options.baudRate ?? 115200);
  const path = windowsDevicePath(name);
  if (path === null) {
    return Promise.reject(
      deviceError("port/not-found", `${name} is not a COM port name`, "Use COM1, COM2..."),
    );
  }
  const k = Deno.dlopen("kernel32.dll", KERNEL32);
  const s = k.symbols;
  const h = s.CreateFileW(
    utf16z(path),
    GENERIC_READ_WRITE,
    0,
    null,
    OPEN_EXISTING,
    FILE_FLAG_OVERLAPPED,
    null,
  );
  if (h === null || BigInt(Deno.UnsafePointer.value(h)) === 0xffffffffffffffffn) {
    const err = s.GetLastError();
    k.close();
    if (err === ERROR_FILE_NOT_FOUND || err === ERROR_PATH_NOT_FOUND) {
      return Promise.reject(deviceError(
        "port/not-found",
        `There is no serial port ${name}`,
        "Look up the board's COM number in Device Manager (Ports (COM & LPT)); install the " +
          "CP210x or CH340 driver if it is missing.",
      ));
    }
    if (err === ERROR_ACCESS_DENIED) return Promise.reject(portBusy(name, []));
    return Promise.reject(portIoFailed("open", name, `error ${err}`));
  }
  try {
    configure(k, h, { baud, dtr: true, rts: true }, name);
    if (s.SetCommTimeouts(h, encodeCommTimeouts(WAIT_MS)) === 0) {
      throw portIoFailed("set the timeouts of", name, `error ${s.GetLastError()}`);
    }
  } catch (e) {
    s.CloseHandle(h);
    k.close();
    return Promise.reject(e);
  }
  const port = new WindowsPort(k, h, { url: name, kind: "serial", modemLines: true }, baud);
  options.signal?.addEventListener("abort", () => void port.close(), { once: true });
  return Promise.resolve(port);
}
