/**
 * The wire: the port, the transports and the command/reply exchange.
 *
 * Rows of the error-code table (./error_codes.ts); add a code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The wire: the port, the transports and the command/reply exchange. */
export const PORT_CODES: readonly ErrorCode[] = [
  {
    code: "protocol/timeout",
    kind: "device",
    meaning: "A command got no reply in time.",
    hint: "Check the cable and power, or try a lower --baud.",
  },
  {
    code: "port/busy",
    kind: "device",
    meaning: "Another program holds the serial port.",
    hint: "Close the other program (a terminal, an IDE's serial monitor, ModemManager).",
  },
  {
    code: "port/not-found",
    kind: "device",
    meaning: "The serial port does not exist (unplugged, or another name).",
    hint: "Plug the board in and list the ports with nodeflash ports.",
  },
  {
    code: "port/permission",
    kind: "device",
    meaning: "The user may not open the serial port.",
    hint:
      "Join the group that owns the port (on Linux: sudo usermod -aG dialout $USER), then log out and in.",
  },
  {
    code: "port/disconnected",
    kind: "device",
    meaning: "The port went away while in use (a pulled cable, a reset USB hub).",
    hint: "Reconnect and run the command again.",
  },
  {
    code: "port/io-failed",
    kind: "device",
    meaning: "Reading from or writing to the port failed.",
    hint: "Unplug and replug the adapter; if it keeps failing, try another USB port or cable.",
  },
  {
    code: "port/closed",
    kind: "device",
    meaning: "The port or the server behind it closed the connection.",
    hint: "Check the board and, for a network port, the server.",
  },
  {
    code: "port/write",
    kind: "device",
    meaning: "A frame could not be written to the port.",
    hint: "Check the cable and the adapter.",
  },
  {
    code: "port/unreachable",
    kind: "device",
    meaning: "Nothing accepts connections at the host and port of a network port.",
    hint: "Check the address and that the server (ser2net, nodeflash sim) runs.",
  },
  {
    code: "port/needs-ffi",
    kind: "user",
    meaning: "Serial ports need permission to call the C library.",
    hint: "Run with --allow-ffi (or -A).",
  },
  {
    code: "port/needs-net",
    kind: "user",
    meaning: "A network port needs network permission.",
    hint: "Run with --allow-net (or -A).",
  },
  {
    code: "port/none-found",
    kind: "user",
    meaning: "No serial port was found and none was given.",
    hint:
      "Plug the board in with a data-capable cable and check its USB-serial driver, or give --port.",
  },
  {
    code: "port/ambiguous",
    kind: "user",
    meaning: "Several likely ports were found and none was given.",
    hint: "Pass the board's port with --port (a /dev/serial/by-id name stays stable).",
  },
  {
    code: "port/bad-baud",
    kind: "user",
    meaning: "The baud rate is not a positive whole number.",
    hint: "Use e.g. 115200, 460800 or 921600.",
  },
  {
    code: "port/unsupported-os",
    kind: "user",
    meaning: "nodeflash has no serial code for this operating system.",
    hint: "Use rfc2217://host:port with ser2net on a machine that has the board.",
  },
  {
    code: "transport/bad-url",
    kind: "user",
    meaning: "The port string is not a device path or a supported URL, or has an unknown option.",
    hint: "Use /dev/ttyUSB0, COM3, rfc2217://host:port, socket://host:port or sim://.",
  },
  {
    code: "transport/unknown-scheme",
    kind: "user",
    meaning: "The port URL's scheme is not one nodeflash opens.",
    hint: "Use a serial device path, rfc2217://, socket:// or sim://.",
  },
  {
    code: "transport/bad-scheme",
    kind: "user",
    meaning:
      "An opener was given for a scheme that cannot have one (rfc2217, socket, or a malformed name).",
    hint: "Give a scheme of two or more letters other than rfc2217 and socket.",
  },
  {
    code: "transport/no-modem-lines",
    kind: "note",
    meaning: "The port has no DTR/RTS control (raw TCP, or an adapter without them).",
    hint: "Reset the board by hand when asked.",
  },
  {
    code: "transport/ack-timeout",
    kind: "warning",
    meaning: "An RFC 2217 server did not acknowledge an option in time; nodeflash carries on.",
    hint:
      "Check the server's RFC 2217 support (ser2net: telnet(rfc2217)), or add ?ign_set_control.",
  },
  {
    code: "transport/stale-lock",
    kind: "note",
    meaning: "A lock file left by a process that no longer runs was taken over.",
    hint: "Nothing to do.",
  },
  {
    code: "transport/lock-skipped",
    kind: "note",
    meaning: "No lock file could be written; flock still keeps other nodeflash processes out.",
    hint: "Make the lock directory writable to keep other programs out as well.",
  },
  {
    code: "transport/baud-adjusted",
    kind: "warning",
    meaning: "The port runs at another baud rate than the one asked for.",
    hint: "Use a rate the adapter or server supports.",
  },
  {
    code: "transport/notice",
    kind: "note",
    meaning: "A note from the transport.",
    hint: "Nothing to do.",
  },
  {
    code: "rfc2217/unsupported",
    kind: "device",
    meaning: "The server refused the RFC 2217 COM port option: it is a plain telnet or TCP server.",
    hint: "Use socket:// for raw TCP, or configure the server for RFC 2217.",
  },
  {
    code: "rfc2217/no-answer",
    kind: "device",
    meaning: "The server did not answer the RFC 2217 negotiation.",
    hint: "Check that the server speaks RFC 2217 (ser2net: telnet(rfc2217)), or use socket://.",
  },
  {
    code: "port/untested-platform",
    kind: "note",
    meaning: "nodeflash's serial code has not been run on this system (macOS, Windows) yet.",
    hint:
      "Run the hardware suite there (docs/hardware-runner.md, section 9) and report what it says.",
  },
];
