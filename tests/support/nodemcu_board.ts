/**
 * A NodeMCU board at its prompt for the simulator's Lua-side tests (lib/sim/nodemcu_*_test.ts,
 * tests/sim_lua_*_test.ts): a devkit that has booted a test image (the first boot formats the
 * file system), a console tap at 115200, and a helper that types a line and returns the answer.
 */

import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import type { NodemcuBannerSpec } from "../../lib/testing/nodemcu_banner_text.ts";
import { SimBoard } from "../../lib/sim/board.ts";
import type { BoardOptions } from "../../lib/sim/board_options.ts";
import { ConsoleTap, flashImage } from "../../lib/sim/console_tap.ts";

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
