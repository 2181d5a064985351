/**
 * Boards for the simulator's own unit tests: one in its ROM loader, one running a known stub
 * (greeting checked), one running NodeMCU at its prompt with a console tap, each closed
 * afterwards; and a flash command with only a command phase sent through SPI0's user-command
 * registers, as a host does with WRITE_REG (docs/protocol.md §6).
 *
 * @module
 */

import assert from "node:assert/strict";
import { buildNodemcuFirmware } from "../testing/nodemcu_firmware.ts";
import type { NodemcuBannerSpec } from "../testing/nodemcu_banner_text.ts";
import { Op } from "../protocol/opcodes.ts";
import { SimBoard } from "./board.ts";
import type { BoardOptions } from "./board_options.ts";
import { ConsoleTap, flashImage } from "./console_tap.ts";
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

/** A NodeMCU board at its prompt, for {@link withNodemcu}. */
export interface NodemcuTest {
  /** The board. */
  board: SimBoard;
  /** A terminal on its console at 115200. */
  tap: ConsoleTap;
  /**
   * Types a line (CR LF added) and waits for the next prompt.
   *
   * @param line what to type
   * @returns what came back between the echo's line end and the prompt
   */
  run(line: string): Promise<string>;
}

/** Options for {@link withNodemcu}. */
export interface NodemcuTestOptions {
  /** The image's banner (`{ version: "3.0.0.0" }` with the default modules by default). */
  banner?: NodemcuBannerSpec;
  /** Flash size, bytes (4 MB by default). */
  flashBytes?: number;
  /** Flash contents to start from instead of the image alone (the image is written at 0x0). */
  flashContents?: Uint8Array;
  /** More board options. */
  board?: BoardOptions;
}

/**
 * Runs `fn` against a devkit that has booted a NodeMCU image to its first prompt (the first boot
 * formats the file system), then closes the board.
 *
 * @param fn the test
 * @param options banner, flash, board options
 */
export async function withNodemcu(
  fn: (t: NodemcuTest) => Promise<void>,
  options: NodemcuTestOptions = {},
): Promise<void> {
  const size = options.flashBytes ?? 4 << 20;
  const image = buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: size >= 4 << 20 ? "4MB" : "1MB",
    flashMode: "dio",
    banner: options.banner ?? { version: "3.0.0.0" },
  }).combined;
  let flashContents = options.flashContents ?? flashImage(size, image);
  if (options.flashContents !== undefined) flashContents.set(image);
  const flashSize = `${size >> 20}MB` as const;
  if (options.board?.pace === "realtime") {
    // The first boot's format would take seconds of real time: format at instant pace first.
    const first = new SimBoard({ flashSize, flashContents });
    await first.idle();
    flashContents = first.flash.read(0, size);
    await first.close();
  }
  const board = new SimBoard({ flashSize, flashContents, ...options.board });
  const tap = new ConsoleTap(board);
  try {
    await tap.until(/\r\n> $/, 20_000);
    const run = async (line: string) => {
      tap.clear();
      tap.type(`${line}\r\n`);
      const text = await tap.until(/(^|\n)(> |>> )$/, 20_000);
      const start = text.indexOf("\r\n") + 2;
      return text.slice(start, text.length - (text.endsWith(">> ") ? 3 : 2));
    };
    await fn({ board, tap, run });
  } finally {
    await board.close();
  }
}
