/**
 * Rows of the error-code table (./error_codes.ts) about the link's speed: the rate the ROM loader
 * is synced at and the working rate after CHANGE_BAUDRATE (lib/flasher/baud_choice.ts); add a
 * code's row here, in its area.
 *
 * @module
 */

import type { ErrorCode } from "./error_code.ts";

/** The `link/` codes. */
export const LINK_CODES: readonly ErrorCode[] = [
  {
    code: "link/baud-failed",
    kind: "device",
    meaning:
      "After CHANGE_BAUDRATE the board did not answer at the new rate: the USB-serial adapter or the board cannot do it (a CH340 on Linux at 921600), and the stub now listens at a rate the host cannot reach.",
    hint:
      "Give a lower --baud (460800 or 115200), or leave --baud out (auto falls back by itself); reset the board first.",
  },
  {
    code: "link/baud-fallback",
    kind: "note",
    meaning:
      "With --baud auto, the board did not answer at the fastest rate; nodeflash resets it and goes on at the next rate (921600, 460800, 115200), and remembers that for the port for the rest of the run.",
    hint: "Nothing to do; give --baud 460800 to skip the try.",
  },
  {
    code: "link/slow-rom-sync",
    kind: "note",
    meaning:
      "The ROM loader did not answer SYNC at 460800 (its autobaud or the adapter did not manage it), so it was synced at 115200: the stub uploads (and --no-stub writes) at 115200.",
    hint: "Nothing to do; some boards only sync at 115200.",
  },
];
