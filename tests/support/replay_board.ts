/**
 * Simulated boards for the smoke and monitor tests: a {@link SimBoard} whose flash holds a
 * NodeMCU-like image, running either the simulator's NodeMCU (its banner the one a field
 * transcript shows) or a replay of what a real board printed (lib/sim/replay_firmware.ts). The
 * reset circuit, the ROM's messages, the UART and its garbling are the simulator's: one board
 * model for every test.
 */

import { connectSimLink } from "../../lib/sim/sim_link.ts";
import { SimBoard } from "../../lib/sim/board.ts";
import type { BoardOptions } from "../../lib/sim/board_options.ts";
import { flashImage } from "../../lib/sim/console_tap.ts";
import type { BoardProgram, Device } from "../../lib/sim/device.ts";
import { ReplayFirmware, type ReplayScript } from "../../lib/sim/replay_firmware.ts";
import { buildNodemcuFirmware } from "../../lib/testing/nodemcu_firmware.ts";
import { flashLayout } from "../../lib/chip/esp8266.ts";
import { type FlashSizeName, flashSizeRow } from "../../lib/chip/flash_size.ts";
import { builtInInitData } from "../../lib/flasher/init_data.ts";
import type { MemoryLink } from "../../lib/transport/memory.ts";

/** What the board runs. */
export interface ReplayBoardOptions {
  /**
   * The banner as a field transcript shows it (CRLF or LF line ends, the init.lua line and the
   * prompt may follow and are left out): the image carries it, the simulator's NodeMCU prints it.
   * A generic 3.x banner by default.
   */
  banner?: string;
  /** Replay these boots instead of running NodeMCU. */
  replay?: ReplayScript;
  /** Per boot, what runs (overrides `replay`): a replay for some boots, NodeMCU for others. */
  firmware?: (device: Device, boot: number) => BoardProgram;
  /** More board options (module, flash size, reset wiring, pace...). */
  board?: BoardOptions;
  /** The link's modem lines (a raw adapter without DTR/RTS: false). */
  modemLines?: boolean;
  /** The chip's flash size, also the image header's; 4MB by default. */
  flashSize?: FlashSizeName;
}

/** A board, its link, and a way to put both away. */
export interface ReplayBoard {
  /** The board. */
  board: SimBoard;
  /** The host's side. */
  link: MemoryLink;
  /** Resolves once the power-up boot reached NodeMCU's prompt (fails after 10 s). */
  atPrompt(): Promise<void>;
  /** Closes the link and the board. */
  close(): Promise<void>;
}

/** The banner text of a transcript, as the firmware keeps it (LF line ends, nothing after). */
export function bannerOf(console: string): string {
  const text = console.replace(/\r\n/g, "\n");
  const end = text.search(/\n(lua: )?cannot open init\.lua/);
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Makes a simulated board on a memory link.
 *
 * @param options what it runs
 * @returns the board and its link
 */
export function replayBoard(options: ReplayBoardOptions = {}): ReplayBoard {
  const flashSize = flashSizeRow(options.flashSize ?? "4MB");
  const fw = buildNodemcuFirmware({
    totalSize: 0x30000,
    flashSize: flashSize.name,
    ...(options.banner === undefined ? {} : { banner: { text: bannerOf(options.banner) } }),
  });
  // The RF init data is in place, as on the boards the transcripts come from (firmware before
  // 2.0 does not write it, and would reboot on rf_cal[0] without it).
  const contents = flashImage(flashSize.bytes, [
    [0, fw.combined],
    [flashLayout(flashSize.bytes).initData, builtInInitData("default")],
  ]);
  let boot = 0;
  const pick = options.firmware ??
    (options.replay === undefined
      ? undefined
      : (device: Device, n: number) => new ReplayFirmware(device, options.replay!(n)));
  const board = new SimBoard({
    flashContents: contents,
    flashSize: flashSize.name,
    ...options.board,
    ...(pick === undefined ? {} : { firmware: (device: Device) => pick(device, boot++) }),
  });
  const link = connectSimLink(board);
  if (options.modemLines === false) link.transport.info.modemLines = false;
  return {
    board,
    link,
    atPrompt: async () => {
      const until = performance.now() + 10_000;
      while (board.nodemcu?.ready !== true) {
        if (performance.now() > until) {
          throw new Error(`the board is ${board.state}, not at a prompt`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      await board.idle();
    },
    close: async () => {
      await link.transport.close();
      await board.close();
    },
  };
}
