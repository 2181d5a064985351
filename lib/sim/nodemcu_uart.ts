/**
 * NodeMCU's `uart` module (`app/modules/uart.c`, `app/platform/platform.c`):
 *
 * - `setup(id, baud, databits, parity, stopbits[, echo])` changes UART0's rate at once (a host
 *   that does not follow reads garble and is misread: uart_garble.ts); a rate not in the
 *   firmware's table (300 … 115200, 230400, 256000, 460800, 921600, 1843200, 3686400) sets 9600;
 *   either way the call returns the baud it was given, as the C code does; the sixth argument
 *   turns echo on or off, and leaving it out leaves echo as it was. UART1 only transmits (to
 *   GPIO2, not the host).
 * - `getconfig(id)`: baud (the table's rate nearest the divider), data bits, parity, stop bits.
 * - `on("data", n | "c", fn[, run_input])`: raw input (nodemcu_console.ts); `on("data")`
 *   restores the REPL.
 * - `write(id, …)`: strings and byte values, raw (no newline translation).
 * - `alt(on)`: accepted and ignored (the simulated board has one pair of pins to the host).
 *
 * @module
 */

import type { LuaFunction, LuaValue } from "./lua_vm.ts";
import { LINE_BUFFER } from "./nodemcu_console.ts";
import {
  argError,
  checkInteger,
  isFunction,
  type NodemcuHost,
  table,
  typeName,
} from "./nodemcu_host.ts";

/** The rates `platform_uart_setup` accepts. */
export const UART_RATES = [
  300,
  600,
  1200,
  2400,
  4800,
  9600,
  19200,
  31250,
  38400,
  57600,
  74880,
  115200,
  230400,
  256000,
  460800,
  921600,
  1843200,
  3686400,
] as const;

/**
 * The table's rate nearest a measured one (`platform_uart_get_config`).
 *
 * @param baud the rate the divider gives
 * @returns the nearest rate the firmware knows
 *
 * @example
 * ```ts
 * import { nearestRate } from "./nodemcu_uart.ts";
 * if (nearestRate(115299) !== 115200) throw new Error();
 * ```
 */
export function nearestRate(baud: number): number {
  return UART_RATES.reduce((a, b) => (Math.abs(b - baud) < Math.abs(a - baud) ? b : a));
}

/**
 * Installs `uart`.
 *
 * @param host the firmware's side
 *
 * @example
 * ```ts
 * import { SimBoard } from "./board.ts";
 * import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
 * import { ConsoleTap, flashImage } from "./console_tap.ts";
 * import assert from "node:assert/strict";
 * const flashContents = flashImage(1 << 20, buildNodemcuFirmware({ totalSize: 0x20000, flashSize: "1MB" }).combined);
 * const board = new SimBoard({ flashSize: "1MB", flashContents });
 * const tap = new ConsoleTap(board);
 * await tap.until("\r\n> ");
 * tap.clear();
 * tap.type("uart.write(0, 'a\\n', 66)\r\n");
 * assert.equal(await tap.until("> "), "uart.write(0, 'a\\n', 66)\r\na\nB> ");
 * await board.close();
 * ```
 */
export function installUart(host: NodemcuHost): void {
  const { runtime, device } = host;
  const frame = { databits: 8, parity: 0, stopbits: 1 };
  const lua = host.vm.version;
  const checkId = (value: LuaValue) => {
    const id = checkInteger(value, 1, { lua });
    if (id !== 0 && id !== 1) throw new Error(`uart ${id} does not exist`);
    return id;
  };
  const functions: Record<string, LuaFunction> = {
    setup: (id, baud, databits, parity, stopbits, echo) => {
      const uart = checkId(id);
      const rate = checkInteger(baud, 2, { lua });
      const bits = checkInteger(databits, 3, { lua });
      const par = checkInteger(parity, 4, { lua });
      const stop = checkInteger(stopbits, 5, { lua });
      if (typeof echo === "number") runtime.console.echo = echo !== 0;
      if (uart === 0) {
        const set = (UART_RATES as readonly number[]).includes(rate) ? rate : 9600;
        device.uart.setDivider(Math.round(device.uart.clockHz / set));
        frame.databits = bits >= 5 && bits <= 8 ? bits : 8;
        frame.parity = par === 1 || par === 2 ? par : 0;
        frame.stopbits = stop === 2 || stop === 3 ? stop : 1;
      }
      return rate;
    },
    getconfig: (id) => {
      checkId(id);
      return [nearestRate(device.uart.boardBaud), frame.databits, frame.parity, frame.stopbits];
    },
    on: (name, ...rest) => uartOn(host, name, rest),
    write: (id, ...items) => {
      const uart = checkId(id);
      let out = "";
      items.forEach((item, i) => {
        if (typeof item === "number") {
          if (item > 255 || item < 0) throw new Error("invalid number");
          out += String.fromCharCode(Math.trunc(item));
        } else if (typeof item === "string") out += item;
        else {
          // an argument inside the call's count: nil, not "no value"
          throw argError(
            i + 2,
            `string expected, got ${item === undefined ? "nil" : typeName(item)}`,
          );
        }
      });
      if (uart === 0) runtime.write(out);
      return [];
    },
    alt: (on) => (checkInteger(on, 1, { lua }), []),
  };
  host.vm.setGlobal(
    "uart",
    table({
      ...functions,
      STOPBITS_1: 1,
      STOPBITS_1_5: 3,
      STOPBITS_2: 2,
      PARITY_NONE: 0,
      PARITY_EVEN: 1,
      PARITY_ODD: 2,
    }),
  );
}

/** `uart.on("data", n | "c", fn, run_input)`. */
function uartOn(host: NodemcuHost, name: LuaValue, rest: LuaValue[]): LuaValue[] {
  const runtime = host.runtime;
  if (name !== "data") throw argError(1, "method not supported");
  let at = 0;
  let dataLength = -1, endChar = 0;
  if (typeof rest[0] === "number") {
    dataLength = Math.trunc(rest[0]);
    if (!(dataLength >= 0 && dataLength < LINE_BUFFER)) {
      throw argError(2, "wrong arg range");
    }
    at = 1;
  } else if (typeof rest[0] === "string") {
    if (rest[0].length !== 1) throw new Error("wrong arg range");
    endChar = rest[0].charCodeAt(0);
    at = 1;
  }
  const fn = rest[at];
  if (!isFunction(fn)) return runtime.setReceiver(undefined), [];
  const runInput = !(typeof rest[at + 1] === "number" && Math.trunc(rest[at + 1] as number) === 0);
  runtime.setReceiver(fn, { dataLength, endChar, runInput });
  return [];
}
