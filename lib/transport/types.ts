/**
 * The transport contract: how nodeflash moves bytes and drives the two modem lines. Every
 * adapter (serial port through FFI, RFC 2217, raw TCP, the in-process simulator, the memory link
 * used by tests) implements {@link Transport}; nothing above this layer knows which one it has.
 *
 * @module
 */

/**
 * The two modem-control lines, in pyserial's sense: `true` means **asserted**, which on a
 * USB-serial bridge drives the pin **low** (0 V).
 *
 * On a NodeMCU devkit RTS pulls EN (reset) low and DTR pulls GPIO0 low through two transistors;
 * asserting both at once does nothing, so terminals that raise both lines do not reset the board.
 */
export interface Signals {
  /** Data Terminal Ready: GPIO0 on NodeMCU boards. */
  dtr: boolean;
  /** Request To Send: EN (reset) on NodeMCU boards. */
  rts: boolean;
}

/** USB identity of a serial port, when the OS tells it. */
export interface UsbInfo {
  /** Vendor id, lower-case hex without `0x` (e.g. `"1a86"`). */
  vid: string;
  /** Product id, lower-case hex (e.g. `"7523"`). */
  pid: string;
  /** Manufacturer string. */
  manufacturer?: string;
  /** Product string. */
  product?: string;
  /** Serial number string (CH340 bridges have none). */
  serialNumber?: string;
}

/** What a transport is connected to. */
export interface TransportInfo {
  /** The URL or path it was opened with (`/dev/ttyUSB0`, `rfc2217://host:port`, `sim://`). */
  url: string;
  /** Which adapter. */
  kind: "serial" | "rfc2217" | "tcp" | "sim" | "memory";
  /**
   * Whether {@link Transport.setSignals} reaches real DTR/RTS lines. `false` for raw TCP and
   * ptys: the flasher then defaults to no reset.
   */
  modemLines: boolean;
  /** USB ids when known. */
  usb?: UsbInfo;
}

/**
 * A byte pipe to a board plus its control lines.
 *
 * Contract, member by member:
 *
 * - `readable`: the bytes the board sent, in order, chunked arbitrarily. It is pull-based: bytes
 *   the consumer has not read stay in the transport, so {@link Transport.discardInput} can drop
 *   them. At most one reader at a time. When the transport closes, a pending read **ends** (it
 *   resolves `done`); bytes that arrive afterwards belong to the next open of the port and are
 *   never consumed by the closed one. When the device vanishes, a pending read errors with a
 *   `NodeflashError` whose code is `port/disconnected`.
 * - `write(bytes)`: resolves when the bytes were handed to the OS (or socket); not a promise that
 *   they left the wire (use {@link Transport.drain}). Rejects with `port/disconnected` if the
 *   device went away.
 * - `setSignals({ dtr, rts })`: sets both lines together (one ioctl where the OS allows it), with
 *   the polarity described in {@link Signals}. On a transport without modem lines it does nothing
 *   and never throws (see `info.modemLines`).
 * - `setBaudRate(n)`: any integer rate, 74880 and 921600 included. Takes effect for bytes written
 *   after it resolves. On transports that cannot carry a baud rate it only records it.
 * - `baudRate`: the rate last set (or the one the transport opened with).
 * - `drain()`: resolves when everything written has left the host's buffers (as far as the OS can
 *   tell).
 * - `discardInput()`: drops every byte received but not yet read, in the OS and in the transport.
 * - `close()`: ends pending reads, releases the port and its locks; calling it twice is harmless.
 */
export interface Transport {
  /** What this transport is connected to. */
  readonly info: TransportInfo;
  /** Bytes from the board. */
  readonly readable: ReadableStream<Uint8Array>;
  /** The baud rate last set. */
  readonly baudRate: number;
  /** Sends bytes to the board. */
  write(bytes: Uint8Array): Promise<void>;
  /** Drives DTR and RTS together. */
  setSignals(signals: Signals): Promise<void>;
  /** Changes the host's baud rate. */
  setBaudRate(baud: number): Promise<void>;
  /** Waits until written bytes have left the host. */
  drain(): Promise<void>;
  /** Drops unread input. */
  discardInput(): Promise<void>;
  /** Closes the port; pending reads end. */
  close(): Promise<void>;
}

/**
 * Opens the same port again after it vanished (a USB adapter that re-enumerated, an RFC 2217
 * server that dropped the socket, a pty that came back), waiting a while for it to come back.
 * Resolves with the transport to use from then on; rejects with `port/gone` when the port did
 * not come back in time. Long operations take one (optional) so that a cable pulled for a
 * moment costs a reconnect instead of the whole job; `lib/transport/reopen.ts` makes one.
 */
export type Reopen = (options?: { signal?: AbortSignal }) => Promise<Transport>;

/** Options most adapters accept when opening. */
export interface OpenOptions {
  /** Initial baud rate, 115200 by default. */
  baudRate?: number;
  /** Abort the open (and later, the transport). */
  signal?: AbortSignal;
}
