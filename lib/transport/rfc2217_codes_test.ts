import assert from "node:assert/strict";
import {
  COM_PORT,
  COM_PORT_NAMES,
  CONTROL,
  decodeBaud,
  encodeBaud,
  encodeComPort,
  SERVER_OFFSET,
} from "./rfc2217_codes.ts";

Deno.test("rfc2217 codes: RFC 2217 numbers", () => {
  assert.deepEqual(
    [COM_PORT.SET_BAUDRATE, COM_PORT.SET_CONTROL, COM_PORT.PURGE_DATA, SERVER_OFFSET],
    [1, 5, 12, 100],
  );
  assert.deepEqual(CONTROL, { NO_FLOW: 1, DTR_ON: 8, DTR_OFF: 9, RTS_ON: 11, RTS_OFF: 12 });
  assert.equal(COM_PORT_NAMES[5], "set-control");
});

Deno.test("rfc2217 codes: baud is big-endian and 0xFF inside values is escaped", () => {
  assert.deepEqual(encodeBaud(74880), new Uint8Array([0, 1, 0x24, 0x80]));
  assert.equal(decodeBaud(new Uint8Array([0, 0x07, 0x08, 0x00])), 460800);
  // 0x0001FFFF baud: both 0xFF bytes doubled inside the subnegotiation.
  assert.deepEqual(
    encodeComPort(COM_PORT.SET_BAUDRATE, encodeBaud(0x1ffff)),
    new Uint8Array([255, 250, 44, 1, 0, 1, 255, 255, 255, 255, 255, 240]),
  );
});
