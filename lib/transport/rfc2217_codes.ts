/**
 * RFC 2217 (Telnet Com Port Control Option) command codes and payload encoders. Pure.
 *
 * The client sends a command as `IAC SB 44 <code> <value> IAC SE`; the server answers with the
 * same value under `code + 100`. Values are big-endian ("network order").
 *
 * @module
 */

import { encodeSubnegotiation, OPTION } from "./telnet.ts";

/** Client-to-server command codes (the server answers with code + {@link SERVER_OFFSET}). */
export const COM_PORT = {
  SIGNATURE: 0,
  SET_BAUDRATE: 1,
  SET_DATASIZE: 2,
  SET_PARITY: 3,
  SET_STOPSIZE: 4,
  SET_CONTROL: 5,
  NOTIFY_LINESTATE: 6,
  NOTIFY_MODEMSTATE: 7,
  FLOWCONTROL_SUSPEND: 8,
  FLOWCONTROL_RESUME: 9,
  SET_LINESTATE_MASK: 10,
  SET_MODEMSTATE_MASK: 11,
  PURGE_DATA: 12,
} as const;

/** Server replies and notifications use the command code plus this. */
export const SERVER_OFFSET = 100;

/** SET-CONTROL values nodeflash uses. */
export const CONTROL = { NO_FLOW: 1, DTR_ON: 8, DTR_OFF: 9, RTS_ON: 11, RTS_OFF: 12 } as const;

/** SET-PARITY NONE, SET-STOPSIZE 1, PURGE-DATA values. */
export const PARITY_NONE = 1;
/** One stop bit. */
export const STOPSIZE_ONE = 1;
/** PURGE-DATA: the access server's receive buffer (data from the device not yet sent to us). */
export const PURGE_RECEIVE = 1;

/** Names of the client commands, for events and traces. */
export const COM_PORT_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(COM_PORT).map(([name, code]) => [code, name.toLowerCase().replaceAll("_", "-")]),
);

/**
 * Encodes a COM-PORT-OPTION command.
 *
 * @param code one of {@link COM_PORT}
 * @param value the value bytes (escaped on the wire by the telnet layer)
 * @returns the subnegotiation bytes
 *
 * @example
 * ```ts
 * import { COM_PORT, CONTROL, encodeComPort } from "./rfc2217_codes.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(
 *   encodeComPort(COM_PORT.SET_CONTROL, new Uint8Array([CONTROL.DTR_ON])),
 *   new Uint8Array([255, 250, 44, 5, 8, 255, 240]),
 * );
 * ```
 */
export function encodeComPort(code: number, value: Uint8Array): Uint8Array {
  const payload = new Uint8Array(value.length + 1);
  payload[0] = code;
  payload.set(value, 1);
  return encodeSubnegotiation(OPTION.COM_PORT, payload);
}

/**
 * The 4-byte big-endian value of SET-BAUDRATE.
 *
 * @param baud the rate (0 asks the server for the current rate)
 * @returns four bytes
 *
 * @example
 * ```ts
 * import { encodeBaud, decodeBaud } from "./rfc2217_codes.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeBaud(115200), new Uint8Array([0, 1, 0xc2, 0]));
 * assert.equal(decodeBaud(encodeBaud(74880)), 74880);
 * ```
 */
export function encodeBaud(baud: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, baud, false);
  return out;
}

/**
 * Reads a SET-BAUDRATE reply value.
 *
 * @param value the reply's value bytes
 * @returns the rate, or `null` when the value is not 4 bytes
 *
 * @example
 * ```ts
 * import { decodeBaud } from "./rfc2217_codes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(decodeBaud(new Uint8Array([0, 0x0e, 0x10, 0])), 921600);
 * assert.equal(decodeBaud(new Uint8Array([1])), null);
 * ```
 */
export function decodeBaud(value: Uint8Array): number | null {
  if (value.length !== 4) return null;
  return new DataView(value.buffer, value.byteOffset, 4).getUint32(0, false);
}
