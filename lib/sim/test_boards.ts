/**
 * Boards for the simulator's own unit tests: one in its ROM loader, one running a known stub
 * (greeting checked), each closed afterwards; and a flash command with only a command phase sent
 * through SPI0's user-command registers, as a host does with WRITE_REG (docs/protocol.md §6).
 *
 * @module
 */

import assert from "node:assert/strict";
import { Op } from "../protocol/opcodes.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import type { StubFamily } from "./stub_dialect.ts";
import { KNOWN_STUBS } from "./stub_table.ts";
import { le, SimTestHost } from "./testing.ts";

/** A test body: the host side and the board. */
export type BoardTest = (host: SimTestHost, board: SimBoard) => Promise<void>;

/**
 * Runs `fn` against a board powered up in its ROM loader, then closes the board.
 *
 * @param fn the test
 * @param options more board options
 */
export async function withRom(fn: BoardTest, options: BoardOptions = {}): Promise<void> {
  const board = new SimBoard({ bootMode: "download", ...options });
  try {
    await fn(new SimTestHost(board), board);
  } finally {
    await board.close();
  }
}

/**
 * Runs `fn` against a board running the known stub of `family` (its `OHAI` already read), then
 * closes the board.
 *
 * @param family which stub
 * @param fn the test
 * @param options more board options
 */
export async function withStub(
  family: StubFamily,
  fn: BoardTest,
  options: BoardOptions = {},
): Promise<void> {
  const board = new SimBoard({ bootMode: "download", ...options });
  const host = new SimTestHost(board);
  board.startStub(KNOWN_STUBS.find((s) => s.family === family)!);
  assert.deepEqual((await host.frames()).map((f) => new TextDecoder().decode(f)), ["OHAI"]);
  try {
    await fn(host, board);
  } finally {
    await board.close();
  }
}

/**
 * Sends a flash command that has only a command phase (0xB9 power down, 0xAB wake up, 0x06
 * write enable...) through SPI0's user-command registers; every WRITE_REG must succeed.
 *
 * @param host the host side
 * @param command the flash command byte
 */
export async function spiCommandOnly(host: SimTestHost, command: number): Promise<void> {
  const regs: [number, number][] = [
    [0x60000220, 0], // USER1: no address, data or dummy phase
    [0x6000021c, 0x80000000], // USER: command phase only
    [0x60000224, (7 << 28) | command], // USER2: 8-bit command
    [0x60000240, 0],
    [0x60000200, 1 << 18], // CMD: start the user command
  ];
  for (const [address, value] of regs) {
    const [reply] = await host.command(Op.WRITE_REG, le(address, value, 0xffffffff, 0));
    assert.deepEqual(reply?.status, [0, 0]);
  }
}
