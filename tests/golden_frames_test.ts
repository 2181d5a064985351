/**
 * Golden frames: the exact bytes of every request the flasher sends, written out by hand from
 * the documented layout (docs/protocol.md §1.2, §1.4, §2, §4.1, §14) — not produced by the
 * encoder under test — and the decoding of ROM (`01 code`) and stub (`code 00`) status pairs.
 */

import assert from "node:assert/strict";
import { slipEncode } from "../lib/bytes/slip.ts";
import { fromHex, toHex } from "../lib/bytes/hex.ts";
import { decodeResponse, encodeRequest, type Request } from "../lib/protocol/packet.ts";
import {
  beginRequest,
  changeBaudRequest,
  dataRequest,
  eraseFlashRequest,
  eraseRegionRequest,
  flashEndRequest,
  md5Request,
  memEndRequest,
  readFlashRequest,
  readRegRequest,
  spiAttachRequest,
  spiSetParamsRequest,
  syncRequest,
  writeRegRequest,
} from "../lib/protocol/requests.ts";
import { Op } from "../lib/protocol/opcodes.ts";
import { commandFailed } from "../lib/protocol/status.ts";

const wire = (r: Request) => toHex(slipEncode(encodeRequest(r)), " ");
const h = (s: string) => s.trim().split(/\s+/).join(" ");

const GOLDEN: Array<[string, Request, string]> = [
  [
    "SYNC",
    syncRequest(),
    "c0 00 08 24 00 00 00 00 00 07 07 12 20 " + Array(32).fill("55").join(" ") + " c0",
  ],
  ["READ_REG magic", readRegRequest(0x40001000), "c0 00 0a 04 00 00 00 00 00 00 10 00 40 c0"],
  [
    "WRITE_REG SPI CMD start",
    writeRegRequest([{ address: 0x60000200, value: 0x00040000 }]),
    "c0 00 09 10 00 00 00 00 00 00 02 00 60 00 00 04 00 ff ff ff ff 00 00 00 00 c0",
  ],
  [
    "FLASH_BEGIN (ROM attach)",
    beginRequest(Op.FLASH_BEGIN, { size: 0, blocks: 0, blockSize: 0x400, offset: 0 }),
    "c0 00 02 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 c0",
  ],
  [
    "FLASH_BEGIN at 0x10000",
    beginRequest(Op.FLASH_BEGIN, {
      size: 0x50000,
      blocks: 0x180,
      blockSize: 0x400,
      offset: 0x10000,
    }),
    "c0 00 02 10 00 00 00 00 00 00 00 05 00 80 01 00 00 00 04 00 00 00 00 01 00 c0",
  ],
  [
    // the payload holds C0 and DB, so the frame shows the escapes; checksum EF^C0^DB^01 = F5
    "FLASH_DATA seq 2",
    dataRequest(Op.FLASH_DATA, 2, new Uint8Array([0xc0, 0xdb, 0x01])),
    "c0 00 03 13 00 f5 00 00 00 03 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 db dc db dd 01 c0",
  ],
  [
    "FLASH_END stay",
    flashEndRequest(Op.FLASH_END, { reboot: false }),
    "c0 00 04 04 00 00 00 00 00 01 00 00 00 c0",
  ],
  [
    "MEM_BEGIN stub text",
    beginRequest(Op.MEM_BEGIN, { size: 11456, blocks: 2, blockSize: 0x1800, offset: 0x4010c500 }),
    "c0 00 05 10 00 00 00 00 00 db dc 2c 00 00 02 00 00 00 00 18 00 00 00 c5 10 40 c0",
  ],
  [
    "MEM_DATA seq 0",
    dataRequest(Op.MEM_DATA, 0, new Uint8Array([0x11, 0x22, 0x33, 0x44])),
    "c0 00 07 14 00 ab 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 11 22 33 44 c0",
  ],
  [
    "MEM_END jump",
    memEndRequest(0x4010c504),
    "c0 00 06 08 00 00 00 00 00 00 00 00 00 04 c5 10 40 c0",
  ],
  [
    "SPI_SET_PARAMS 4MB",
    spiSetParamsRequest(0x400000),
    "c0 00 0b 18 00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 01 00 00 10 00 00 00 01 00 00 ff ff 00 00 c0",
  ],
  ["SPI_ATTACH", spiAttachRequest(), "c0 00 0d 04 00 00 00 00 00 00 00 00 00 c0"],
  [
    "CHANGE_BAUDRATE 460800 from 115200",
    changeBaudRequest(460800, 115200),
    "c0 00 0f 08 00 00 00 00 00 00 08 07 00 00 c2 01 00 c0",
  ],
  [
    "FLASH_DEFL_BEGIN",
    beginRequest(Op.FLASH_DEFL_BEGIN, { size: 0x61a8c, blocks: 16, blockSize: 0x4000, offset: 0 }),
    "c0 00 10 10 00 00 00 00 00 8c 1a 06 00 10 00 00 00 00 40 00 00 00 00 00 00 c0",
  ],
  [
    // EF ^ 78 ^ DA = 4D
    "FLASH_DEFL_DATA seq 0",
    dataRequest(Op.FLASH_DEFL_DATA, 0, new Uint8Array([0x78, 0xda])),
    "c0 00 11 12 00 4d 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 78 da c0",
  ],
  [
    "FLASH_DEFL_END stay",
    flashEndRequest(Op.FLASH_DEFL_END, { reboot: false }),
    "c0 00 12 04 00 00 00 00 00 01 00 00 00 c0",
  ],
  [
    "SPI_FLASH_MD5",
    md5Request(0x10000, 0x2000),
    "c0 00 13 10 00 00 00 00 00 00 00 01 00 00 20 00 00 00 00 00 00 00 00 00 00 c0",
  ],
  ["ERASE_FLASH", eraseFlashRequest(), "c0 00 d0 00 00 00 00 00 00 c0"],
  [
    "ERASE_REGION",
    eraseRegionRequest(0x3fc000, 0x4000),
    "c0 00 d1 08 00 00 00 00 00 00 db dc 3f 00 00 40 00 00 c0",
  ],
  [
    "READ_FLASH",
    readFlashRequest(0x0, 0x100000),
    "c0 00 d2 10 00 00 00 00 00 00 00 00 00 00 00 10 00 00 10 00 00 40 00 00 00 c0",
  ],
];

for (const [name, request, expected] of GOLDEN) {
  Deno.test(`golden frame: ${name}`, () => {
    assert.equal(wire(request), h(expected));
  });
}

Deno.test("golden frame: the MEM_DATA checksum covers the payload, not the sub-header", () => {
  // EF ^ 11 ^ 22 ^ 33 ^ 44 = AB: header bytes would change it
  assert.equal(
    dataRequest(Op.MEM_DATA, 7, new Uint8Array([0x11, 0x22, 0x33, 0x44])).checksum,
    0xab,
  );
});

Deno.test("decode: ROM status pair 01 code, value field kept", () => {
  // the documented reply to a 20-byte FLASH_BEGIN (esp-serial-flasher #65)
  const r = decodeResponse(fromHex("01 02 02 00 01 c1 f0 ff 01 05"), "rom");
  assert.ok(r);
  assert.equal(r.op, 0x02);
  assert.equal(r.value, 0xfff0c101);
  assert.deepEqual(r.status, { failed: true, code: 0x05, raw: [1, 5] });
  assert.equal(commandFailed("FLASH_BEGIN", "rom", r.status).code, "rom/invalid-message");
});

Deno.test("decode: stub status pair code 00 and MD5 result", () => {
  const md5 = "00112233445566778899aabbccddeeff";
  const ok = decodeResponse(fromHex(`01 13 12 00 00 00 00 00 ${md5} 00 00`), "stub");
  assert.equal(ok?.status.failed, false);
  assert.equal(toHex(ok!.result), md5);
  const bad = decodeResponse(fromHex("01 03 02 00 00 00 00 00 c1 00"), "stub");
  assert.deepEqual(bad?.status, { failed: true, code: 0xc1, raw: [0xc1, 0] });
  assert.equal(
    commandFailed("FLASH_DATA", "stub", bad!.status).message,
    "FLASH_DATA failed: bad data checksum (0xc1)",
  );
});

Deno.test("decode: an error reply to MD5 is read as status, not as a short digest", () => {
  const r = decodeResponse(fromHex("01 13 02 00 00 00 00 00 c4 00"), "stub");
  assert.equal(r?.status.code, 0xc4);
  assert.equal(r?.result.length, 0);
});

Deno.test("decode: requests, short packets and truncated data are not replies", () => {
  assert.equal(decodeResponse(fromHex("00 08 02 00 00 00 00 00 00 00"), "rom"), undefined);
  assert.equal(decodeResponse(fromHex("01 08 02 00 07 07"), "rom"), undefined);
  assert.equal(decodeResponse(fromHex("01 0a 04 00 00 00 00 00 00 00"), "rom"), undefined);
});
