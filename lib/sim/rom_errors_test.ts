/**
 * Error paths of the ESP8266 ROM loader that rom_loader_test.ts leaves out. Expected status pairs
 * come from docs/protocol.md §3.2/§3.3: a malformed request (wrong length, a sub-header length
 * that does not match the data) is echoed with `01 05`; `01 06` is "message OK but the operation
 * failed"; `01 08` is a flash write error (the ROM reads the block back and compares).
 *
 * The flash is made to fail honestly: the chip is put in deep power-down (0xB9) through the SPI
 * user-command registers, as a host can do with WRITE_REG, and woken with 0xAB afterwards.
 */

import assert from "node:assert/strict";
import { spiCommandOnly, withRom } from "./test_boards.ts";
import { Op } from "../protocol/opcodes.ts";
import type { SimBoard } from "./board.ts";
import { dataPacket, le, type ParsedReply } from "./testing.ts";

/** op, size and status of each reply. */
const shape = (replies: ParsedReply[]) => replies.map((r) => [r.op, r.size, r.status]);

const erasedSectors = (board: SimBoard) =>
  [...board.flash.eraseCounts()].flatMap((n, i) => (n > 0 ? [i] : []));

Deno.test("ROM errors: MEM_BEGIN and MEM_END with a wrong length get 01 05 and do nothing", () =>
  withRom(async (host, board) => {
    for (const data of [le(8, 1, 0x1800), le(8, 1, 0x1800, 0x3ffe9000, 0)]) {
      assert.deepEqual(shape(await host.command(Op.MEM_BEGIN, data)), [[Op.MEM_BEGIN, 2, [1, 5]]]);
    }
    for (const data of [le(0), le(0, 0x40100000, 0)]) {
      assert.deepEqual(shape(await host.command(Op.MEM_END, data)), [[Op.MEM_END, 2, [1, 5]]]);
    }
    assert.equal(board.state, "download", "no jump");
  }));

Deno.test("ROM errors: a MEM_DATA whose sub-header does not match its data gets 01 05", () =>
  withRom(async (host) => {
    const at = 0x3ffe9000;
    await host.command(Op.WRITE_REG, le(at, 0x5a5a5a5a, 0xffffffff, 0));
    assert.deepEqual(shape(await host.command(Op.MEM_BEGIN, le(8, 1, 0x1800, at))), [[
      Op.MEM_BEGIN,
      2,
      [0, 0],
    ]]);
    assert.deepEqual(
      shape(await host.command(Op.MEM_DATA, le(8, 0))),
      [[Op.MEM_DATA, 2, [1, 5]]],
      "shorter than the 16-byte sub-header",
    );
    const lying = dataPacket(Op.MEM_DATA, le(1, 2), 0);
    lying[8] = 4; // the length word says 4, the payload has 8
    assert.deepEqual(shape(await host.exchange(lying)), [[Op.MEM_DATA, 2, [1, 5]]]);
    const [r] = await host.command(Op.READ_REG, le(at));
    assert.equal(r?.value, 0x5a5a5a5a, "RAM untouched");
  }));

Deno.test("ROM errors: FLASH_BEGIN with the flash in deep power-down fails with 01 06", () =>
  withRom(async (host, board) => {
    board.flash.program(0, new Uint8Array(0x2000));
    await spiCommandOnly(host, 0xb9);
    assert.equal(board.chip.poweredDown, true);
    assert.deepEqual(shape(await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x400, 0))), [[
      Op.FLASH_BEGIN,
      2,
      [1, 6],
    ]]);
    assert.deepEqual(erasedSectors(board), [], "nothing erased");
    assert.deepEqual(board.flash.read(0, 0x2000), new Uint8Array(0x2000));

    await spiCommandOnly(host, 0xab);
    assert.equal(board.chip.poweredDown, false);
    assert.deepEqual(shape(await host.command(Op.FLASH_BEGIN, le(0x1000, 1, 0x400, 0))), [[
      Op.FLASH_BEGIN,
      2,
      [0, 0],
    ]]);
    assert.deepEqual(erasedSectors(board), [0, 1], "awake again: the ROM's 2-for-1 erase (§7.3)");
  }));

Deno.test("ROM errors: FLASH_DATA fails with 01 08 when the flash stops answering mid-write", () =>
  withRom(async (host, board) => {
    const block = (fill: number) => new Uint8Array(0x400).fill(fill);
    await host.command(Op.FLASH_BEGIN, le(0x1000, 2, 0x400, 0x4000));
    assert.deepEqual(shape(await host.exchange(dataPacket(Op.FLASH_DATA, block(0x11), 0))), [[
      Op.FLASH_DATA,
      2,
      [0, 0],
    ]]);
    await spiCommandOnly(host, 0xb9);
    assert.deepEqual(shape(await host.exchange(dataPacket(Op.FLASH_DATA, block(0x22), 1))), [[
      Op.FLASH_DATA,
      2,
      [1, 8],
    ]]);
    await spiCommandOnly(host, 0xab);
    assert.deepEqual(board.flash.read(0x4000, 0x400), block(0x11));
    assert.equal(
      board.flash.isBlank(0x4400, 0x400),
      true,
      "the second block never reached the chip",
    );
  }));
