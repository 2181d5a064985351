/**
 * Opens a local serial port with the adapter for this OS. Each OS module is imported on demand,
 * so nothing here touches FFI until a port is opened.
 *
 * @module
 */

import { userError } from "../../errors.ts";
import type { Transport } from "../types.ts";
import type { PosixPortOptions } from "./posix_port.ts";

/** Options for {@link openSerial}: baud rate, abort signal, events, locking. */
export type SerialOptions = PosixPortOptions;

/**
 * Opens a serial port: `/dev/ttyUSB0` or `/dev/serial/by-id/...` on Linux, `/dev/cu.*` on
 * macOS, `COM3` on Windows. Needs `--allow-ffi`.
 *
 * @param path the device path or COM name
 * @param options baud rate (115200 by default), events, locking
 * @returns the open port
 *
 * @example
 * ```ts
 * import { openSerial } from "./open_serial.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(openSerial("/dev/ttyUSB0", { baudRate: 0 }), { code: "port/bad-baud" });
 * ```
 */
export async function openSerial(path: string, options: SerialOptions = {}): Promise<Transport> {
  switch (Deno.build.os) {
    case "linux":
    case "android": {
      const { openLinuxSerial } = await import("./linux.ts");
      return await openLinuxSerial(path, options);
    }
    case "darwin": {
      const { openDarwinSerial } = await import("./darwin.ts");
      return await openDarwinSerial(path, options);
    }
    case "windows": {
      const { openWindowsSerial } = await import("./windows.ts");
      return await openWindowsSerial(path, options);
    }
    default:
      throw userError(
        "port/unsupported-os",
        `Serial ports on ${Deno.build.os} are not supported`,
        "Use rfc2217://host:port with ser2net on a machine that has the board.",
      );
  }
}
